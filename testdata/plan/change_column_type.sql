-- pgsafe-test: --context context/shop.sql
-- Expand/contract: shadow column, trigger, backfill, indexes, swap, drop.
ALTER TABLE events ALTER COLUMN n TYPE bigint;
ALTER TABLE orders ALTER COLUMN created_at TYPE timestamp USING created_at AT TIME ZONE 'UTC';
-- a primary key column is used by a constraint: not online
ALTER TABLE invoices ALTER COLUMN id TYPE bigint;
-- binary coercible: passes through
ALTER TABLE orders ALTER COLUMN email TYPE varchar;
