SET lock_timeout = '2s';
CREATE TABLE orders (id bigint PRIMARY KEY, amount int);
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
