-- without a transaction, but batch_execute sends both statements as one query
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);
