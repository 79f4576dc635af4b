-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
