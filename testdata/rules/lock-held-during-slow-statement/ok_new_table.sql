BEGIN;
SET LOCAL lock_timeout = '2s';
CREATE TABLE accounts (id bigint PRIMARY KEY, note text);
ALTER TABLE accounts ALTER COLUMN note SET DEFAULT '';
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
COMMIT;
