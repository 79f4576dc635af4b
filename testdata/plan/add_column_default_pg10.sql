-- pgsafe-test: --context context/shop.sql --pg-version=10
-- Before PostgreSQL 11 every default rewrites, a DO block cannot COMMIT (the
-- backfill is one batch to repeat), and SET NOT NULL always scans (the
-- validated check stays as the enforcement).
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
