SET lock_timeout = '1min'; SET statement_timeout = '5min';
-- SHARE UPDATE EXCLUSIVE blocks no writes
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
