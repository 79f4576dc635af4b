-- pgsafe-test: --context context/shop.sql
-- With a default partition: a CHECK matching the bound on the new partition,
-- one excluding it on the default partition, both validated, then ATTACH.
ALTER TABLE measurements ATTACH PARTITION measurements_next FOR VALUES FROM (2000) TO (3000);
ALTER TABLE regions ATTACH PARTITION regions_asia FOR VALUES IN ('jp', 'kr');
ALTER TABLE hashed ATTACH PARTITION hashed_1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
