SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX users_email_idx ON users (email);
DROP INDEX users_email_idx;
