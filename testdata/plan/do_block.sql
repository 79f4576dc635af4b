-- pgsafe-test: --context context/shop.sql
-- A DO block passes through whole; one that rewrites a table is not online.
DO $$ BEGIN
    UPDATE orders SET note = 'n' WHERE id = 1;
END $$;
DO $$ BEGIN
    ALTER TABLE orders ADD COLUMN r float DEFAULT random();
END $$;
