-- The schema the plan cases start from (read with --context: applied
-- already, taught to the catalog, never planned).
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id int,
    amount int NOT NULL,
    note text,
    email text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE TABLE events (kind text, payload text, n int);
CREATE INDEX events_n_idx ON events (n);
CREATE TABLE accounts (id int, login text);
CREATE TABLE measurements (k int NOT NULL, v int) PARTITION BY RANGE (k);
CREATE TABLE measurements_low PARTITION OF measurements FOR VALUES FROM (0) TO (1000);
CREATE TABLE measurements_high PARTITION OF measurements FOR VALUES FROM (1000) TO (2000);
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;
CREATE TABLE measurements_next (k int NOT NULL, v int);
CREATE TABLE regions (code text NOT NULL, n int) PARTITION BY LIST (code);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('fr', 'de');
CREATE TABLE regions_us PARTITION OF regions FOR VALUES IN ('us');
CREATE TABLE regions_asia (code text NOT NULL, n int);
CREATE TABLE hashed (id int NOT NULL) PARTITION BY HASH (id);
CREATE TABLE hashed_0 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE hashed_1 (id int NOT NULL);
CREATE SCHEMA "Mixed Case";
CREATE TABLE "Mixed Case"."Order Items" ("Id" int PRIMARY KEY, "Quantity" int, "select" text,
    "semi;colon" text, "quo""te" text, "prix unitaire ü" numeric(10, 2));
CREATE TABLE invoices (id int PRIMARY KEY, total int NOT NULL);
CREATE TABLE invoice_lines (id int PRIMARY KEY, invoice_id int REFERENCES invoices (id));
