BEGIN;
SET LOCAL lock_timeout = '2s';
UPDATE accounts SET note = NULL WHERE id = 1;
-- the transaction already holds ROW EXCLUSIVE on accounts: the blocking lock is taken here
ALTER TABLE accounts ALTER COLUMN note SET DEFAULT '';
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
COMMIT;
