-- the file's only statement: it runs on its own, outside a transaction
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
