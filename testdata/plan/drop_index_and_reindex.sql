-- pgsafe-test: --context context/shop.sql
DROP INDEX orders_created_idx, events_n_idx;
REINDEX INDEX orders_pkey;
REINDEX (VERBOSE) TABLE customers;
