\set ON_ERROR_STOP on
SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN note text;
