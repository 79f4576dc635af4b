-- The schema every proof case starts from, with a few thousand rows. Both
-- databases of a case are copies of one template built from this file, so
-- they hold the same rows (volatile defaults included) before the case runs.
CREATE TABLE customers (
    id int PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id int,
    amount int NOT NULL,
    note text,
    email text,
    created_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
INSERT INTO orders (customer_id, amount, note, email, created_at)
SELECT 1 + g % 500, g % 97, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END,
       'user' || g || '@example.com', '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 minute'
FROM generate_series(1, 4000) g;
CREATE INDEX orders_created_idx ON orders (created_at);

-- no primary key: backfills batch by ctid
CREATE TABLE events (
    kind text,
    payload text,
    n int
);
INSERT INTO events SELECT 'kind ' || (g % 7), repeat('x', g % 50), g FROM generate_series(1, 3000) g;

-- a key that is unique but nullable, and no primary key yet
CREATE TABLE accounts (
    id int,
    login text
);
INSERT INTO accounts SELECT g, 'login' || g FROM generate_series(1, 2000) g;

-- range partitions with a default partition
CREATE TABLE measurements (
    k int NOT NULL,
    v int
) PARTITION BY RANGE (k);
CREATE TABLE measurements_low PARTITION OF measurements FOR VALUES FROM (0) TO (1000);
CREATE TABLE measurements_high PARTITION OF measurements FOR VALUES FROM (1000) TO (2000);
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;
INSERT INTO measurements SELECT g, g * 2 FROM generate_series(0, 1999) g;
INSERT INTO measurements SELECT g, g FROM generate_series(5000, 5199) g;

-- list partitions, no default partition
CREATE TABLE regions (
    code text NOT NULL,
    n int
) PARTITION BY LIST (code);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('fr', 'de');
CREATE TABLE regions_us PARTITION OF regions FOR VALUES IN ('us');
INSERT INTO regions SELECT (ARRAY['fr', 'de', 'us'])[1 + g % 3], g FROM generate_series(1, 1500) g;

-- names that need quoting
CREATE SCHEMA "Mixed Case";
CREATE TABLE "Mixed Case"."Order Items" (
    "Id" int PRIMARY KEY,
    "Quantity" int,
    "select" text,
    "semi;colon" text,
    "quo""te" text,
    "prix unitaire ü" numeric(10, 2)
);
INSERT INTO "Mixed Case"."Order Items"
SELECT g, g % 11, CASE WHEN g % 5 = 0 THEN NULL ELSE 's' || g END, 'c' || g, 'q' || g, g / 3.0
FROM generate_series(1, 2500) g;
