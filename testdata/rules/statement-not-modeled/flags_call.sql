SET lock_timeout = '2s'; SET statement_timeout = '5min';
CALL backfill_regions(1000);
