CREATE TABLE users (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN note text;
