-- what these statements cost depends on the schema they run on
-- (schema.sql, written by PostgreSQL 15's pg_dump --schema-only) and on
-- the tables' sizes (stats.json, stats.yaml: accounts small, orders large)
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(200);
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
DROP INDEX accounts_lower_email_idx;
ALTER TABLE accounts ADD COLUMN uid uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN uid uuid DEFAULT gen_random_uuid();
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE INDEX orders_note_idx ON orders (note);
ALTER TABLE accounts ADD COLUMN flag boolean NOT NULL;
