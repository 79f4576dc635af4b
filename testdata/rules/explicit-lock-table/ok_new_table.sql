SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE ledger (id bigint);
ALTER TABLE orders ADD COLUMN note text;
LOCK TABLE ledger;
COMMIT;
