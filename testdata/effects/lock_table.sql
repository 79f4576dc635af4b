-- LOCK TABLE in every mode, several tables, inheritance and views
-- setup
CREATE TABLE public.t (id bigint PRIMARY KEY, a int);
INSERT INTO t SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.u (id bigint PRIMARY KEY, a int);
INSERT INTO u SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.kid () INHERITS (t);
INSERT INTO kid SELECT g + 5000, g FROM generate_series(1, 3000) g;
CREATE VIEW public.tv AS SELECT id, a FROM u;
-- test
LOCK TABLE u IN ACCESS SHARE MODE;
-- test
LOCK TABLE u IN ROW SHARE MODE;
-- test
LOCK TABLE u IN ROW EXCLUSIVE MODE;
-- test
LOCK TABLE u IN SHARE UPDATE EXCLUSIVE MODE;
-- test
LOCK TABLE u IN SHARE MODE;
-- test
LOCK TABLE u IN SHARE ROW EXCLUSIVE MODE;
-- test
LOCK TABLE u IN EXCLUSIVE MODE;
-- test
LOCK TABLE u IN ACCESS EXCLUSIVE MODE;
-- test
LOCK TABLE u;
-- test
LOCK u IN SHARE MODE NOWAIT;
-- test
LOCK TABLE t, u IN SHARE MODE;
-- test
LOCK TABLE t IN SHARE MODE;
-- test
LOCK TABLE ONLY t IN SHARE MODE;
-- test
LOCK TABLE tv IN SHARE MODE;
