-- pgsafe-test: --context context/shop.sql --pg-version=11
ALTER TABLE orders ALTER COLUMN email SET NOT NULL;
