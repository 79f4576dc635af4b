SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE orders ADD COLUMN note text;
LOCK TABLE accounts;
COMMIT;
