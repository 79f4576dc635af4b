-- migrate:up transaction:false
-- dbmate sends the section as one multi-statement query, which PostgreSQL
-- runs as one implicit transaction: CONCURRENTLY fails beside another statement
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);

-- migrate:down
DROP INDEX users_name_idx;
