-- CREATE / DROP / REINDEX / ALTER INDEX and CLUSTER
-- setup
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text, c tsvector);
INSERT INTO t SELECT g, g, 'b' || g, to_tsvector('simple', 'w' || g) FROM generate_series(1, 3000) g;
CREATE INDEX t_a_idx ON t (a);
CREATE INDEX t_lower_b_idx ON t (lower(b));
CREATE TABLE public.t2 (id bigint PRIMARY KEY, v int);
INSERT INTO t2 SELECT g, g FROM generate_series(1, 3000) g;
ALTER TABLE t2 CLUSTER ON t2_pkey;
-- test
CREATE INDEX t_b_idx ON t (b);
-- test
CREATE INDEX ON t (b) WHERE a > 10;
-- test
CREATE INDEX t_b_hash ON t USING hash (b);
-- test
CREATE INDEX t_id_brin ON t USING brin (id);
-- test
CREATE INDEX t_c_gin ON t USING gin (c);
-- test
CREATE INDEX t_b_incl ON t (a) INCLUDE (b);
-- test
CREATE UNIQUE INDEX t_id_a_uidx ON t (id, a);
-- test
CREATE INDEX IF NOT EXISTS t_a_idx ON t (a);
-- test
CREATE INDEX CONCURRENTLY t_b_idx ON t (b);
-- test
CREATE UNIQUE INDEX CONCURRENTLY t_id_a_uidx ON t (id, a);
-- test
CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_idx ON t (a);
-- test
DROP INDEX t_a_idx;
-- test
DROP INDEX IF EXISTS no_such_index;
-- test
DROP INDEX CONCURRENTLY t_a_idx;
-- test
DROP INDEX CONCURRENTLY IF EXISTS t_lower_b_idx;
-- test
REINDEX INDEX t_a_idx;
-- test
REINDEX INDEX CONCURRENTLY t_a_idx;
-- test
REINDEX TABLE t;
-- test
REINDEX TABLE CONCURRENTLY t;
-- test
ALTER INDEX t_a_idx RENAME TO t_a_index;
-- test
ALTER INDEX t_a_idx SET (fillfactor = 80);
-- test
ALTER INDEX t_a_idx SET TABLESPACE pg_default;
-- test
ALTER INDEX t_lower_b_idx ALTER COLUMN 1 SET STATISTICS 500;
-- test
ALTER INDEX IF EXISTS no_such_index RENAME TO whatever;
-- test
CLUSTER t USING t_a_idx;
-- test
CLUSTER t2;
-- test
CLUSTER VERBOSE t2 USING t2_pkey;
