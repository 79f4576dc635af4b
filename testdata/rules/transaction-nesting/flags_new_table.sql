SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TABLE notes (id bigint PRIMARY KEY);
BEGIN;
INSERT INTO notes VALUES (1);
COMMIT;
