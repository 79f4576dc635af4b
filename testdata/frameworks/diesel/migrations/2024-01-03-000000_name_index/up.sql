-- diesel runs each migration in its own transaction
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);
