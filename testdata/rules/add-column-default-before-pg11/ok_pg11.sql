-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- from PostgreSQL 11 a constant default is stored once in the catalog
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
