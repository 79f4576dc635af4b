-- pgsafe-test: --assume-in-transaction
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- the tool commits its own transaction after the file
ALTER TABLE users ADD COLUMN note text;
