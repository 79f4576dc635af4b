-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- PostgreSQL 10 writes the constant into every row
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
