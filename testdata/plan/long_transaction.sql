-- pgsafe-test: --context context/shop.sql
-- The transaction is split: the backfill leaves the DDL transaction, the
-- index is built CONCURRENTLY, brief statements of the block stay together.
BEGIN;
ALTER TABLE orders ADD COLUMN amount_cents bigint;
UPDATE orders SET amount_cents = amount * 100;
CREATE INDEX orders_amount_cents_idx ON orders (amount_cents);
ALTER TABLE orders ALTER COLUMN amount_cents SET NOT NULL;
COMMENT ON COLUMN orders.amount_cents IS 'amount in cents';
ALTER TABLE orders ALTER COLUMN amount_cents SET DEFAULT 0;
COMMIT;
