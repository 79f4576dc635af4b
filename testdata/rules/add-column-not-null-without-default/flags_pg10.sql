-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN region text NOT NULL;
