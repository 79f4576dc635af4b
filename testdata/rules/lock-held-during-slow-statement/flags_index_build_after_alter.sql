BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts ADD COLUMN note text;
CREATE INDEX orders_account_idx ON orders (account_id);
COMMIT;
