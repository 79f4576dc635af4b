-- pgsafe-test: --pg-version=10
-- The plan for PostgreSQL 10, where every default rewrites and a DO block
-- cannot COMMIT: psql's \gexec runs the batches, by key range on orders and
-- repeated by ctid on events. Nullable columns, so the result is the same
-- on PostgreSQL 15.
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
ALTER TABLE events ADD COLUMN weight int DEFAULT 3;
