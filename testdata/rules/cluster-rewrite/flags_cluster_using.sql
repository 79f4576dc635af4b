SET lock_timeout = '2s'; SET statement_timeout = '5min';
CLUSTER events USING events_created_at_idx;
