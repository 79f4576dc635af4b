-- ALTER COLUMN ... TYPE with the session TimeZone set to UTC
-- setup
SET TimeZone = 'UTC';
CREATE TABLE public.ty (
    id bigint PRIMARY KEY,
    v10 varchar(10),
    v20 varchar(20),
    vu varchar,
    tx text,
    i int,
    bi bigint,
    n102 numeric(10, 2),
    ch5 char(5),
    ts timestamp,
    tstz timestamptz,
    ii int,
    vi varchar(10),
    same int
);
CREATE INDEX ty_ii_idx ON ty (ii);
CREATE INDEX ty_vi_idx ON ty (vi);
INSERT INTO ty
SELECT g, 'abc', 'abcd', 'abc', 'abc', g, g, g / 3.0, 'ab', '2024-01-01'::timestamp + g * interval '1 minute',
       '2024-01-01'::timestamptz + g * interval '1 minute', g, 'abc', g
FROM generate_series(1, 3000) g;
-- test
ALTER TABLE ty ALTER COLUMN v10 TYPE varchar(20);
-- test
ALTER TABLE ty ALTER COLUMN v10 TYPE text;
-- test
ALTER TABLE ty ALTER COLUMN vu TYPE text;
-- test
ALTER TABLE ty ALTER COLUMN v20 TYPE varchar(5);
-- test
ALTER TABLE ty ALTER COLUMN tx TYPE varchar(10);
-- test
ALTER TABLE ty ALTER COLUMN tx TYPE varchar;
-- test
ALTER TABLE ty ALTER COLUMN i TYPE bigint;
-- test
ALTER TABLE ty ALTER COLUMN bi TYPE int;
-- test
ALTER TABLE ty ALTER COLUMN n102 TYPE numeric(12, 2);
-- test
ALTER TABLE ty ALTER COLUMN n102 TYPE numeric(10, 3);
-- test
ALTER TABLE ty ALTER COLUMN n102 TYPE numeric;
-- test
ALTER TABLE ty ALTER COLUMN n102 TYPE numeric(8, 2);
-- test
ALTER TABLE ty ALTER COLUMN ch5 TYPE text;
-- test
ALTER TABLE ty ALTER COLUMN ch5 TYPE char(10);
-- test
ALTER TABLE ty ALTER COLUMN ts TYPE timestamptz;
-- test
ALTER TABLE ty ALTER COLUMN tstz TYPE timestamp;
-- test
ALTER TABLE ty ALTER COLUMN i TYPE text USING i::text;
-- test
ALTER TABLE ty ALTER COLUMN ii TYPE bigint;
-- test
ALTER TABLE ty ALTER COLUMN vi TYPE varchar(20);
-- test
ALTER TABLE ty ALTER COLUMN vi TYPE text;
-- test
ALTER TABLE ty ALTER COLUMN same TYPE int;
-- test
ALTER TABLE ty ALTER COLUMN i SET DATA TYPE numeric;
