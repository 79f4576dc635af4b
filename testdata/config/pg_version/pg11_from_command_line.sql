-- pgsafe-test: --pg-version=11
-- The command line wins over pg_version: 10 in .pgsafe.yaml.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
