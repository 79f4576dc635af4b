SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN note text;
SELECT count(*) FROM users WHERE note IS NULL;
