-- pgsafe-test: --context context/shop.sql
-- A block that ends in ROLLBACK never happens: no steps.
BEGIN;
ALTER TABLE orders ADD COLUMN tmp int;
CREATE INDEX ON orders (tmp);
ROLLBACK;
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN kept int;
