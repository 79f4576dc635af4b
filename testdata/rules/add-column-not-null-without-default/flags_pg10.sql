-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN region text NOT NULL;
