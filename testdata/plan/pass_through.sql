-- pgsafe-test: --context context/shop.sql
-- Safe as written: a new table and what is done to it, brief changes,
-- constant defaults (PostgreSQL 11+), small data changes.
CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL);
CREATE INDEX audit_what_idx ON audit (what);
ALTER TABLE audit ADD COLUMN at timestamptz DEFAULT clock_timestamp() NOT NULL;
ALTER TABLE orders ADD COLUMN flagged boolean NOT NULL DEFAULT false;
ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none';
COMMENT ON TABLE orders IS 'orders';
INSERT INTO audit (what) VALUES ('plan');
UPDATE orders SET note = 'x' WHERE id = 42;
SET search_path = public;
