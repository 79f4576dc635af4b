SET lock_timeout = '2s';
CREATE TABLE users (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN region text NOT NULL;
