-- CREATE TABLE, CREATE TABLE AS, DROP TABLE, TRUNCATE
-- setup
CREATE TABLE public.parent (id bigint PRIMARY KEY, name text);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 3000) g;
CREATE TABLE public.child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), n serial);
INSERT INTO child (id, parent_id) SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.lonely (id bigint PRIMARY KEY, v int);
INSERT INTO lonely SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.src (id bigint, v int);
INSERT INTO src SELECT g, g FROM generate_series(1, 3000) g;
CREATE VIEW public.lonely_v AS SELECT id, v FROM lonely;
-- test
CREATE TABLE public.n (id bigint PRIMARY KEY, v int);
-- test
CREATE TABLE n (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));
-- test
CREATE TABLE n (id bigint PRIMARY KEY, parent_id bigint, FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE);
-- test
CREATE TABLE n (LIKE lonely);
-- test
CREATE TABLE n (LIKE lonely INCLUDING ALL);
-- test
CREATE TABLE n () INHERITS (lonely);
-- test
CREATE TABLE IF NOT EXISTS lonely (id bigint);
-- test
CREATE UNLOGGED TABLE n (id bigint);
-- test
CREATE TEMP TABLE n (id bigint);
-- test
CREATE TABLE n AS SELECT * FROM src;
-- test
CREATE TABLE n AS SELECT * FROM src WITH NO DATA;
-- test
CREATE TABLE n AS SELECT s.id, l.v FROM src s JOIN lonely l USING (id);
-- test
SELECT * INTO n FROM src;
-- test
DROP VIEW lonely_v;
-- test
DROP TABLE src;
-- test
DROP TABLE lonely CASCADE;
-- test
DROP TABLE parent CASCADE;
-- test
DROP TABLE child;
-- test
DROP TABLE IF EXISTS no_such_table;
-- test
DROP TABLE src, lonely CASCADE;
-- test
DROP TABLE child, parent;
-- test
TRUNCATE src;
-- test
TRUNCATE TABLE lonely;
-- test
TRUNCATE parent CASCADE;
-- test
TRUNCATE child;
-- test
TRUNCATE child RESTART IDENTITY;
-- test
TRUNCATE parent, child;
