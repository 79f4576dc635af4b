BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts ADD COLUMN note text;
CREATE TABLE audit (id bigint PRIMARY KEY, account_id bigint);
ALTER TABLE audit ADD COLUMN note text;
COMMIT;
