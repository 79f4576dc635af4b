-- DML: UPDATE, DELETE, INSERT, MERGE, SELECT ... FOR UPDATE, with and
-- without foreign keys (child.parent_id has no index)
-- setup
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text);
INSERT INTO t SELECT g, g, 'b' || g FROM generate_series(1, 3000) g;
CREATE TABLE public.src (id bigint, a int, b text);
INSERT INTO src SELECT g + 10000, g, 's' FROM generate_series(1, 3000) g;
CREATE TABLE public.parent (id bigint PRIMARY KEY, name text);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 3000) g;
CREATE TABLE public.child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), q int);
INSERT INTO child SELECT g, g, g FROM generate_series(1, 2000) g;
CREATE TABLE public.cascade_child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO cascade_child SELECT g, g + 2000 FROM generate_series(1, 500) g;
CREATE TABLE public.parent2 (id bigint PRIMARY KEY);
INSERT INTO parent2 SELECT g FROM generate_series(1, 3000) g;
CREATE TABLE public.child2 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent2 (id));
CREATE INDEX child2_parent_id_idx ON child2 (parent_id);
INSERT INTO child2 SELECT g, g FROM generate_series(1, 2000) g;
ANALYZE;
-- test
UPDATE t SET a = a + 1;
-- test
UPDATE t SET a = 0 WHERE id = 5;
-- test
UPDATE t SET a = 0 WHERE b = 'b5';
-- test
DELETE FROM t;
-- test
DELETE FROM t WHERE id = 5;
-- test
DELETE FROM t WHERE a < 100;
-- test
INSERT INTO t VALUES (100000, 1, 'x');
-- test
INSERT INTO t VALUES (100000, 1, 'x'), (100001, 2, 'y');
-- test
INSERT INTO t SELECT id, a, b FROM src;
-- test
INSERT INTO t VALUES (5, 1, 'x') ON CONFLICT (id) DO NOTHING;
-- test
INSERT INTO t VALUES (5, 1, 'x') ON CONFLICT (id) DO UPDATE SET a = excluded.a;
-- test
INSERT INTO child VALUES (100000, 5, 1);
-- test
INSERT INTO child VALUES (100000, NULL, 1);
-- test
INSERT INTO child SELECT id + 100000, id, 0 FROM parent;
-- test
UPDATE child SET parent_id = 2500 WHERE id = 1;
-- test
UPDATE child SET q = q + 1 WHERE id = 1;
-- test
DELETE FROM child WHERE id = 1;
-- test
DELETE FROM parent WHERE id = 2999;
-- test
DELETE FROM parent WHERE id = 2001;
-- test
DELETE FROM parent2 WHERE id = 2999;
-- test
UPDATE parent SET name = 'z' WHERE id = 5;
-- test
UPDATE parent SET id = 100000 WHERE id = 2999;
-- test
MERGE INTO t USING src ON t.id = src.id WHEN MATCHED THEN UPDATE SET a = src.a WHEN NOT MATCHED THEN INSERT VALUES (src.id, src.a, src.b);
-- test
SELECT count(*) FROM t;
-- test
SELECT * FROM t WHERE id = 5 FOR UPDATE;
-- test
SELECT * FROM t WHERE id = 5 FOR SHARE;
-- test
SELECT * FROM child JOIN parent ON parent.id = child.parent_id WHERE child.id = 5 FOR UPDATE OF child;
