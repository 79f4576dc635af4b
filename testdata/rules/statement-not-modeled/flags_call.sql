SET lock_timeout = '2s';
CALL backfill_regions(1000);
