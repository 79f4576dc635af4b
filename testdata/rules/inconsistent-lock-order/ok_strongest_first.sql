SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE accounts ADD COLUMN flag boolean;
ALTER TABLE orders ADD COLUMN note text;
UPDATE accounts SET flag = false WHERE id = 1;
COMMIT;
