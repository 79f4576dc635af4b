-- the file's own BEGIN / COMMIT
BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ADD COLUMN bio text;
COMMIT;
