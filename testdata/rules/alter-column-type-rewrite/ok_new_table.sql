SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id bigint PRIMARY KEY, amount int);
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
