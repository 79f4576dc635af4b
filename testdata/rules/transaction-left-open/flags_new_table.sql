SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE notes (id bigint PRIMARY KEY);
-- new or not, nothing is committed
