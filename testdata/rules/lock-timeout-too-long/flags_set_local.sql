SET statement_timeout = '5min';
BEGIN;
SET LOCAL lock_timeout = 10000;
CREATE INDEX users_email_idx ON users (email);
COMMIT;
