-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN region text NOT NULL;
