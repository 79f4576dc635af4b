-- pgsafe-test: --plugin naming
-- A name kept on purpose, said with an ignore comment: the finding is suppressed.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
-- pgsafe:ignore naming/index-name the dashboards query this index by name
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_cust ON orders (customer_id);
