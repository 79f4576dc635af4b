-- pgsafe-test: --pg-version=12
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE items ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(name)) STORED;
