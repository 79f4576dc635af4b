-- pgsafe-test: --context context/shop.sql
-- A checkpoint before the backfill (the column has no default, so the
-- application must write it), the batched UPDATE, then the NOT NULL sequence.
UPDATE orders SET note = 'none' WHERE note IS NULL;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
