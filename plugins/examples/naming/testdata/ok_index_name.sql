-- pgsafe-test: --plugin naming
-- Names that follow the convention, and names PostgreSQL picks itself.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON billing.orders (customer_id, created_at DESC);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_expr_idx ON users (lower(email));
CREATE INDEX CONCURRENTLY ON orders (status);
-- longer than 63 bytes by the pattern: PostgreSQL shortens such names, so any name goes
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_by_account ON events (account_identifier, occurred_at_timestamp, event_kind_name);
