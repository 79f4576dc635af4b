-- pgsafe-test: --context context/shop.sql
-- A volatile default rewrites the table (PostgreSQL 11+): nullable column,
-- SET DEFAULT, a batched backfill by primary key, then NOT NULL through a
-- validated check.
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
