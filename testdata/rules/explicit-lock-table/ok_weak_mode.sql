SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE orders ADD COLUMN note text;
-- ROW EXCLUSIVE blocks no reads or writes
LOCK TABLE accounts IN ROW EXCLUSIVE MODE;
COMMIT;
