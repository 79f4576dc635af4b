SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE users (id bigint PRIMARY KEY, email text);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
