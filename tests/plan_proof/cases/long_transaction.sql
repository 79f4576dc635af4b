-- One transaction that adds a column, fills it, indexes it and makes it
-- NOT NULL: the plan splits it, batches the fill outside the DDL, builds
-- the index CONCURRENTLY.
BEGIN;
ALTER TABLE orders ADD COLUMN amount_cents bigint;
UPDATE orders SET amount_cents = amount * 100;
CREATE INDEX orders_amount_cents_idx ON orders (amount_cents);
ALTER TABLE orders ALTER COLUMN amount_cents SET NOT NULL;
COMMIT;
