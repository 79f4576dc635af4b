-- Safe as written: new tables, brief changes, constant defaults (PG 11+).
CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL);
CREATE INDEX audit_what_idx ON audit (what);
ALTER TABLE audit ADD CONSTRAINT audit_what_check CHECK (what <> '');
ALTER TABLE orders ADD COLUMN flagged boolean NOT NULL DEFAULT false;
ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none';
COMMENT ON TABLE orders IS 'orders';
INSERT INTO audit (what) VALUES ('plan');
