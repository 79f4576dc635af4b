SET lock_timeout = '2s';
-- a new table, and a lock that blocks no writes: nothing to bound
CREATE TABLE notes (id bigint PRIMARY KEY, body text);
ALTER TABLE notes ADD COLUMN author text;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
