-- comments, privileges, settings, views, sequences, extensions, triggers,
-- rules, policies, statistics
-- setup
DO $$ BEGIN CREATE ROLE pgsafe_fx_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text);
INSERT INTO t SELECT g, g, 'b' || g FROM generate_series(1, 3000) g;
CREATE TABLE public.u (id bigint PRIMARY KEY, a int);
INSERT INTO u SELECT g, g FROM generate_series(1, 3000) g;
CREATE VIEW public.tv AS SELECT id, a FROM t;
CREATE SEQUENCE public.s;
CREATE FUNCTION public.t_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_existing BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_trg();
CREATE POLICY t_existing_policy ON t USING (a > 0);
-- test
COMMENT ON TABLE t IS 'the t table';
-- test
COMMENT ON COLUMN t.a IS 'the a column';
-- test
COMMENT ON INDEX t_pkey IS 'pk';
-- test
GRANT SELECT ON t TO pgsafe_fx_role;
-- test
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pgsafe_fx_role;
-- test
REVOKE ALL ON t FROM PUBLIC;
-- test
GRANT SELECT (a) ON t TO pgsafe_fx_role;
-- test
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pgsafe_fx_role;
-- test
SET lock_timeout = '5s';
-- test
SET statement_timeout = '30s';
-- test
SET LOCAL lock_timeout = '1s';
-- test
RESET lock_timeout;
-- test
CREATE VIEW public.v2 AS SELECT id, b FROM t;
-- test
CREATE OR REPLACE VIEW tv AS SELECT id, a FROM t;
-- test
CREATE OR REPLACE VIEW tv AS SELECT id, a, b FROM t;
-- test
CREATE VIEW v2 AS SELECT t.id, u.a FROM t JOIN u USING (id);
-- test
DROP VIEW tv;
-- test
ALTER VIEW tv RENAME TO tv2;
-- test
CREATE SEQUENCE public.s2;
-- test
CREATE SEQUENCE s2 OWNED BY t.id;
-- test
ALTER SEQUENCE s RESTART WITH 1000;
-- test
ALTER SEQUENCE s INCREMENT BY 10;
-- test
ALTER SEQUENCE s OWNED BY t.id;
-- test
SELECT setval('s', 5000);
-- test
DROP SEQUENCE s;
-- test
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- test
CREATE EXTENSION hstore;
-- test
CREATE TRIGGER t_new BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_trg();
-- test
CREATE TRIGGER t_new AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION t_trg();
-- test
CREATE OR REPLACE TRIGGER t_existing BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_trg();
-- test
DROP TRIGGER t_existing ON t;
-- test
ALTER TRIGGER t_existing ON t RENAME TO t_renamed;
-- test
CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
-- test
CREATE RULE u_log AS ON INSERT TO u DO ALSO INSERT INTO t VALUES (NEW.id + 100000, NEW.a, 'r');
-- test
CREATE POLICY t_policy ON t FOR SELECT USING (a > 10);
-- test
DROP POLICY t_existing_policy ON t;
-- test
CREATE STATISTICS t_stats (dependencies) ON a, b FROM t;
-- test
CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
-- test
CREATE SCHEMA app;
-- test
ANALYZE t;
