SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
UPDATE accounts SET note = '' WHERE id = 1;
ALTER TABLE orders ADD COLUMN note text;
ALTER TABLE accounts ADD COLUMN flag boolean;
COMMIT;
