-- pgsafe-test: --context context/shop.sql --pg-version=11
-- REINDEX CONCURRENTLY needs PostgreSQL 12: not online.
REINDEX INDEX orders_pkey;
