-- pgsafe-test: --context context/shop.sql
-- ON ONLY the parent, CONCURRENTLY on each partition, ATTACH each.
CREATE INDEX measurements_v_idx ON measurements (v);
CREATE UNIQUE INDEX ON regions (code, n);
