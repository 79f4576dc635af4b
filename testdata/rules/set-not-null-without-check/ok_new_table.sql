SET lock_timeout = '2s';
CREATE TABLE users (id bigint PRIMARY KEY, email text);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
