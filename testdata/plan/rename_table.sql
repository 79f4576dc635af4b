-- pgsafe-test: --context context/shop.sql
ALTER TABLE customers RENAME TO clients;
