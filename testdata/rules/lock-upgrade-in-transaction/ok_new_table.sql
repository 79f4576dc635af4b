SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE regions (id bigint PRIMARY KEY, name text);
INSERT INTO regions VALUES (1, 'eu');
ALTER TABLE regions ADD COLUMN code text;
COMMIT;
