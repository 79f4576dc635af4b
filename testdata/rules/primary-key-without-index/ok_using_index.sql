-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE UNIQUE INDEX CONCURRENTLY items_pkey ON items (id);
-- id is NOT NULL already: no scan
ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey;
