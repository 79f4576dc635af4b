SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN note text;
SET lock_timeout = 0;
ALTER TABLE users ADD COLUMN flags int;
