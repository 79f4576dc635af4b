-- +goose Up
-- goose wraps this file in a transaction: CONCURRENTLY fails there
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);

-- +goose Down
DROP INDEX users_name_idx;
