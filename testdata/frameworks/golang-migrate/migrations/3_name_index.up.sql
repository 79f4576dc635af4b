-- golang-migrate sends the file as one query: two statements make one
-- implicit transaction, and CONCURRENTLY fails in it
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);
