BEGIN;
SET LOCAL lock_timeout = '2s';
CREATE INDEX users_email_idx ON users (email);
COMMIT;
