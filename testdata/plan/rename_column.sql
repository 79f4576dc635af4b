-- pgsafe-test: --context context/shop.sql
ALTER TABLE orders RENAME COLUMN created_at TO placed_at;
ALTER TABLE orders RENAME COLUMN id TO order_id;
