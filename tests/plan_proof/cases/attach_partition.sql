-- With a default partition: a CHECK on the new partition matching its bound
-- and one on the default partition excluding it, both validated first, so
-- that ATTACH reads neither.
ALTER TABLE measurements ATTACH PARTITION measurements_next FOR VALUES FROM (2000) TO (3000);
ALTER TABLE regions ATTACH PARTITION regions_asia FOR VALUES IN ('jp', 'kr');
