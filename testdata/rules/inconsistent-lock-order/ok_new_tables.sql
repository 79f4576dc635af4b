SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE a (id bigint);
CREATE TABLE b (id bigint);
INSERT INTO a VALUES (1);
ALTER TABLE b ADD COLUMN note text;
ALTER TABLE a ADD COLUMN note text;
COMMIT;
