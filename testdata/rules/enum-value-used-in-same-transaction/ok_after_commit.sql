-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;
UPDATE orders SET status = 'refunded' WHERE id = 42;
