SET statement_timeout = '5min';
BEGIN;
SET LOCAL lock_timeout = '2s';
LOCK TABLE accounts, orders IN ACCESS EXCLUSIVE MODE;
ALTER TABLE orders ADD COLUMN note text;
COMMIT;
