-- pgsafe-test: --assume-in-transaction
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts ADD COLUMN note text;
UPDATE accounts SET note = '';
