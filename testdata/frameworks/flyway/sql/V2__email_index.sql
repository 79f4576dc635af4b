-- Flyway's parser spots CREATE INDEX CONCURRENTLY and runs this
-- migration outside a transaction
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
