-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s';
CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
