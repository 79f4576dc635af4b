SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
SELECT id FROM accounts WHERE id = 1;
CREATE INDEX orders_account_idx ON orders (account_id);
ALTER TABLE accounts ADD COLUMN flag boolean;
COMMIT;
