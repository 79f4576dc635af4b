-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE orders ADD COLUMN status text;
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
