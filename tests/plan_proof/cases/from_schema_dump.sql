-- proof: schema-dump
-- Planned against pg_dump's output (--schema): pgsafe learns the serial's
-- sequence, the defaults and the indexes from the dump's own statements.
ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;
ALTER TABLE orders RENAME COLUMN created_at TO placed_at;
ALTER TABLE orders ADD COLUMN score int NOT NULL DEFAULT (length(clock_timestamp()::text) * 0 + 7);
CREATE INDEX ON orders (email);
ALTER TABLE measurements ATTACH PARTITION measurements_next FOR VALUES FROM (2000) TO (3000);
