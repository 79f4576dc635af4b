-- enum types and domains used by table columns
-- setup
CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE DOMAIN public.posint AS int;
CREATE DOMAIN public.checked_int AS int CONSTRAINT checked_int_nonneg CHECK (VALUE >= 0);
ALTER DOMAIN checked_int ADD CONSTRAINT checked_int_small CHECK (VALUE < 1000000) NOT VALID;
CREATE TABLE public.t (id bigint PRIMARY KEY, m mood, p posint, c checked_int);
INSERT INTO t SELECT g, 'ok', g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.t2 (id bigint PRIMARY KEY, p posint);
INSERT INTO t2 SELECT g, g FROM generate_series(1, 3000) g;
CREATE TABLE public.unrelated (id bigint PRIMARY KEY, v int);
INSERT INTO unrelated SELECT g, g FROM generate_series(1, 3000) g;
-- test
ALTER TYPE mood ADD VALUE 'happy';
-- test
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
-- test
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
-- test
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
-- test
CREATE TYPE public.color AS ENUM ('red', 'green');
-- test
CREATE TYPE public.pair AS (x int, y int);
-- test
CREATE DOMAIN public.email AS text CHECK (VALUE LIKE '%@%');
-- test
ALTER DOMAIN posint ADD CONSTRAINT posint_pos CHECK (VALUE > 0);
-- test
ALTER DOMAIN posint ADD CONSTRAINT posint_pos CHECK (VALUE > 0) NOT VALID;
-- test
ALTER DOMAIN checked_int VALIDATE CONSTRAINT checked_int_small;
-- test
ALTER DOMAIN posint SET NOT NULL;
-- test
ALTER DOMAIN posint DROP NOT NULL;
-- test
ALTER DOMAIN checked_int DROP CONSTRAINT checked_int_nonneg;
-- test
ALTER DOMAIN posint SET DEFAULT 1;
-- test
ALTER DOMAIN checked_int RENAME CONSTRAINT checked_int_nonneg TO checked_int_ge0;
-- test
DROP DOMAIN posint CASCADE;
