DROP INDEX orders_created_idx;
REINDEX INDEX orders_pkey;
REINDEX TABLE customers;
