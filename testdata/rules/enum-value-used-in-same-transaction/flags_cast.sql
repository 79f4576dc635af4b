-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
SELECT count(*) FROM orders WHERE status = 'refunded'::order_status;
COMMIT;
