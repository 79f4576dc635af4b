-- pgsafe-test: --plugin naming
-- Index names that are not <table>_<columns>_idx.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_cust ON orders (customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id, created_at);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (lower(email));
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON billing.orders (customer_id) WHERE deleted_at IS NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON billing.orders_archive (customer_id);
