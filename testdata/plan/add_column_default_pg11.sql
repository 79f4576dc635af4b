-- pgsafe-test: --context context/shop.sql --pg-version=11
-- PostgreSQL 11: a constant default is free; a volatile one is batched, and
-- SET NOT NULL still scans: the check stays.
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD COLUMN token text NOT NULL DEFAULT md5(random()::text);
