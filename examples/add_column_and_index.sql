-- An unsafe migration, as it is often first written: every statement below
-- takes a lock that stalls a busy "orders" table for as long as it runs.
-- pgsafe flags it; examples/safe_migration.sql reaches the same schema safely.

BEGIN;

-- Volatile default: every existing row needs its own value, so PostgreSQL
-- rewrites the whole table under ACCESS EXCLUSIVE (no reads, no writes).
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();

-- Plain CREATE INDEX: SHARE lock, so every INSERT/UPDATE/DELETE waits for
-- the whole build.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

-- SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to check it.
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

-- A validated foreign key scans "orders" while holding SHARE ROW EXCLUSIVE
-- on both tables.
ALTER TABLE orders
    ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id);

COMMIT;
