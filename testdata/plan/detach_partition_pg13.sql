-- pgsafe-test: --context context/shop.sql --pg-version=13
ALTER TABLE regions DETACH PARTITION regions_us;
