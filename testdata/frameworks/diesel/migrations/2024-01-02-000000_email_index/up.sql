-- metadata.toml: run_in_transaction = false
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
