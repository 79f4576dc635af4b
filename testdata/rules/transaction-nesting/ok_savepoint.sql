SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE users ADD COLUMN note text;
SAVEPOINT before_backfill;
UPDATE users SET note = '' WHERE id < 1000;
RELEASE SAVEPOINT before_backfill;
COMMIT;
