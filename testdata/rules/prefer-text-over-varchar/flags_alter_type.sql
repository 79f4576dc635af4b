SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE notes (id bigint, body text);
ALTER TABLE notes ALTER COLUMN body TYPE character varying(500);
