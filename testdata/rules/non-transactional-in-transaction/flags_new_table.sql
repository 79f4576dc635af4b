-- fails even on a table created just before: the statement itself is refused
BEGIN;
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
COMMIT;
