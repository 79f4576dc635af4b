-- pgsafe-test: --assume-in-transaction earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TYPE order_status ADD VALUE 'refunded';
-- orders.status is an order_status: the constant is the new value
UPDATE orders SET status = 'refunded' WHERE id = 42;
