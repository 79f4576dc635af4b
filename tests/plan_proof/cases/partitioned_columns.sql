-- Column changes on a partitioned table: the backfill goes by ctid (which
-- partitions share, so every batch tests its condition again), and NOT NULL
-- is proved on each partition by the check they inherit.
ALTER TABLE measurements ADD COLUMN tag text NOT NULL DEFAULT (clock_timestamp() IS NOT NULL)::text;
ALTER TABLE measurements ALTER COLUMN v SET NOT NULL;
ALTER TABLE regions ADD CONSTRAINT regions_n_positive CHECK (n > 0);
