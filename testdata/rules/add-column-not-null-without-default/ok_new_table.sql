SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE users (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN region text NOT NULL;
