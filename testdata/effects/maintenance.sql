-- VACUUM, ANALYZE, CLUSTER
-- setup
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text);
CREATE INDEX t_a_idx ON t (a);
INSERT INTO t SELECT g, g, 'b' || g FROM generate_series(1, 3000) g;
DELETE FROM t WHERE id % 10 = 0;
CREATE TABLE public.u (id bigint PRIMARY KEY, v int);
INSERT INTO u SELECT g, g FROM generate_series(1, 3000) g;
-- test
VACUUM t;
-- test
VACUUM (ANALYZE) t;
-- test
VACUUM ANALYZE t (a);
-- test
VACUUM (FREEZE) t;
-- test
VACUUM (INDEX_CLEANUP OFF, TRUNCATE OFF) t;
-- test
VACUUM FULL t;
-- test
VACUUM;
-- test
VACUUM t, u;
-- test
ANALYZE t;
-- test
ANALYZE t (a);
-- test
ANALYZE;
-- test
CLUSTER t USING t_a_idx;
