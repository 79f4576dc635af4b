SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- only records the index: SHARE UPDATE EXCLUSIVE, no rewrite
ALTER TABLE events CLUSTER ON events_created_at_idx;
