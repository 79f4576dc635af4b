SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
UPDATE users SET name = trim(name) WHERE id < 1000;
ALTER TABLE users ADD COLUMN region text;
COMMIT;
