-- pgsafe-test: --context context/shop.sql
-- No default partition on regions: CONCURRENTLY, FINALIZE if interrupted,
-- and the CHECK CONCURRENTLY leaves dropped; with one (measurements): not online.
ALTER TABLE regions DETACH PARTITION regions_us;
ALTER TABLE measurements DETACH PARTITION measurements_high;
