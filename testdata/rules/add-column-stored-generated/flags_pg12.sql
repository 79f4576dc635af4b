-- pgsafe-test: --pg-version=12
SET lock_timeout = '2s';
ALTER TABLE items ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(name)) STORED;
