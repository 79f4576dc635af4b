-- pgsafe-test: --assume-in-transaction
SET LOCAL lock_timeout = '2s';
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
ANALYZE users;
