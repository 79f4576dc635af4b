-- no BEGIN: psql runs it in autocommit, where CONCURRENTLY is fine
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
