SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);
CREATE TABLE items (id bigint PRIMARY KEY);
ALTER TABLE items ADD COLUMN qty positive_int;
