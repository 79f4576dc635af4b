-- migrate:up
ALTER TABLE users ADD COLUMN nickname text;

-- migrate:down
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- migrate:up
-- a second section runs on its own, in its own transaction
CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);

-- migrate:down
DROP INDEX users_nickname_idx;
