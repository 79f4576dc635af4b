-- The safe version of examples/add_column_and_index.sql: the same final
-- schema, reached in steps that never block reads or writes for long.
-- Each step is its own transaction (or none, for CONCURRENTLY), and every
-- DDL step gives up quickly instead of queueing behind a long query.

SET lock_timeout = '2s';

-- 1. Add the column without a default (a brief catalog change), then set
--    the default for new rows only.
ALTER TABLE orders ADD COLUMN public_id uuid;
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();

-- 2. Backfill existing rows in batches, from the application or a job:
--    UPDATE orders SET public_id = gen_random_uuid()
--     WHERE id IN (SELECT id FROM orders WHERE public_id IS NULL LIMIT 10000);

-- 3. Build the index without blocking writes (outside any transaction block).
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);

-- 4. NOT NULL through a CHECK constraint added NOT VALID (brief), validated
--    later (SHARE UPDATE EXCLUSIVE: reads and writes go on during the scan).
--    Since PostgreSQL 12, SET NOT NULL then uses the validated constraint
--    and skips its own scan.
ALTER TABLE orders
    ADD CONSTRAINT orders_customer_id_not_null
    CHECK (customer_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;

-- 5. The foreign key, NOT VALID first (no scan), then validated.
ALTER TABLE orders
    ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
