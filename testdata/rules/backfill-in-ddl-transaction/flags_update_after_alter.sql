BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN region text;
UPDATE users SET region = 'eu' WHERE region IS NULL;
COMMIT;
