-- materialized views
-- setup
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text);
INSERT INTO t SELECT g, g % 100, 'b' || g FROM generate_series(1, 3000) g;
CREATE MATERIALIZED VIEW public.mv AS SELECT a, count(*) AS n FROM t GROUP BY a;
CREATE UNIQUE INDEX mv_a_uidx ON mv (a);
CREATE MATERIALIZED VIEW public.mv_noidx AS SELECT id, a FROM t;
-- test
CREATE MATERIALIZED VIEW public.mv2 AS SELECT id, b FROM t WHERE a = 1;
-- test
CREATE MATERIALIZED VIEW mv2 AS SELECT id, b FROM t WITH NO DATA;
-- test
REFRESH MATERIALIZED VIEW mv;
-- test
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
-- test
REFRESH MATERIALIZED VIEW mv_noidx WITH NO DATA;
-- test
REFRESH MATERIALIZED VIEW mv_noidx;
-- test
CREATE INDEX mv_noidx_a_idx ON mv_noidx (a);
-- test
CREATE INDEX CONCURRENTLY mv_noidx_a_idx ON mv_noidx (a);
-- test
ALTER MATERIALIZED VIEW mv RENAME TO mv_renamed;
-- test
DROP MATERIALIZED VIEW mv;
