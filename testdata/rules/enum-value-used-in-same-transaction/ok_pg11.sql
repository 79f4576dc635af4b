-- pgsafe-test: --pg-version=11 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- before PostgreSQL 12, ADD VALUE itself is refused in a block (another rule)
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
SELECT 'refunded'::order_status;
COMMIT;
