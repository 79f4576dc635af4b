SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE users ADD COLUMN note text;
COMMIT;
