SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE users (id bigint PRIMARY KEY, region text);
UPDATE users SET region = 'eu' WHERE region IS NULL;
ALTER TABLE users ALTER COLUMN region SET NOT NULL;
COMMIT;
