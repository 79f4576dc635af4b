SET lock_timeout = '1min'; SET statement_timeout = '5min';
CREATE TABLE notes (id bigint PRIMARY KEY);
ALTER TABLE notes ADD COLUMN body text;
