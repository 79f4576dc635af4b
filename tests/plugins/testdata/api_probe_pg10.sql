-- pgsafe-test: --plugin test_probe --pg-version=10
-- The probe rule applies from PostgreSQL 11 (min_pg_version): on 10 it does not run, finish included.
SET statement_timeout = '30s';
ALTER TABLE gadgets ADD COLUMN IF NOT EXISTS note text;
