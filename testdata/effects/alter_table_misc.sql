-- table-level ALTER TABLE subcommands, renames, SET SCHEMA, ALTER INDEX RENAME
-- setup
DO $$ BEGIN CREATE ROLE pgsafe_fx_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA archive;
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text);
CREATE INDEX t_a_idx ON t (a);
INSERT INTO t SELECT g, g, 'b' || g FROM generate_series(1, 3000) g;
CREATE FUNCTION public.t_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_audit BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_trg();
ALTER TABLE t CLUSTER ON t_a_idx;
CREATE TABLE public.base (id bigint, note text);
CREATE TABLE public.kid (id bigint, note text, extra int);
INSERT INTO kid SELECT g, 'n', g FROM generate_series(1, 3000) g;
CREATE TABLE public.kid2 (extra int) INHERITS (base);
INSERT INTO kid2 SELECT g, 'n', g FROM generate_series(1, 3000) g;
CREATE UNLOGGED TABLE public.ul (id bigint PRIMARY KEY, v int);
INSERT INTO ul SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.fk_parent (id bigint PRIMARY KEY);
INSERT INTO fk_parent SELECT g FROM generate_series(1, 3000) g;
CREATE TABLE public.fk_child (id bigint PRIMARY KEY, parent_id bigint REFERENCES fk_parent (id));
INSERT INTO fk_child SELECT g, g FROM generate_series(1, 3000) g;
-- test
ALTER TABLE t SET (fillfactor = 70);
-- test
ALTER TABLE t SET (autovacuum_enabled = false);
-- test
ALTER TABLE t SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
-- test
ALTER TABLE t SET (toast_tuple_target = 256);
-- test
ALTER TABLE t SET (parallel_workers = 2);
-- test
ALTER TABLE t RESET (fillfactor);
-- test
ALTER TABLE t CLUSTER ON t_pkey;
-- test
ALTER TABLE t SET WITHOUT CLUSTER;
-- test
ALTER TABLE t SET UNLOGGED;
-- test
ALTER TABLE ul SET LOGGED;
-- test
ALTER TABLE t SET TABLESPACE pg_default;
-- test
ALTER TABLE t SET ACCESS METHOD heap;
-- test
ALTER TABLE t SET WITHOUT OIDS;
-- test
ALTER TABLE t OWNER TO pgsafe_fx_role;
-- test
ALTER TABLE t DISABLE TRIGGER t_audit;
-- test
ALTER TABLE t ENABLE TRIGGER t_audit;
-- test
ALTER TABLE t DISABLE TRIGGER ALL;
-- test
ALTER TABLE t DISABLE TRIGGER USER;
-- test
ALTER TABLE t ENABLE TRIGGER ALL;
-- test
ALTER TABLE t ENABLE REPLICA TRIGGER t_audit;
-- test
ALTER TABLE fk_child DISABLE TRIGGER ALL;
-- test
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
-- test
ALTER TABLE t DISABLE ROW LEVEL SECURITY;
-- test
ALTER TABLE t FORCE ROW LEVEL SECURITY;
-- test
ALTER TABLE t REPLICA IDENTITY FULL;
-- test
ALTER TABLE t REPLICA IDENTITY USING INDEX t_pkey;
-- test
ALTER TABLE t REPLICA IDENTITY DEFAULT;
-- test
ALTER TABLE kid INHERIT base;
-- test
ALTER TABLE kid2 NO INHERIT base;
-- test
ALTER TABLE t ADD COLUMN x int, ALTER COLUMN a SET NOT NULL, SET (fillfactor = 80);
-- test
ALTER TABLE t ALTER COLUMN a SET STATISTICS 200, SET (autovacuum_enabled = false);
-- test
ALTER TABLE t ADD COLUMN x int, ALTER COLUMN a TYPE bigint;
-- test
ALTER TABLE t RENAME TO t_renamed;
-- test
ALTER TABLE IF EXISTS no_such_table RENAME TO whatever;
-- test
ALTER TABLE t SET SCHEMA archive;
-- test
ALTER INDEX t_a_idx RENAME TO t_a_index;
-- test
ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_primary;
-- test
ALTER TABLE fk_parent RENAME TO fk_parent_renamed;
