-- pgsafe-test: --pg-version=15
-- proof: not-online
-- measurements has a default partition: PostgreSQL refuses CONCURRENTLY, so
-- the step is the plain DETACH, marked not online.
ALTER TABLE measurements DETACH PARTITION measurements_high;
