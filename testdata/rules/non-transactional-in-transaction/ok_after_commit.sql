BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN email text;
COMMIT;
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
