-- unused-ignore is off here, and unknown-rule-in-ignore is an error.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore require-concurrent-index
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore no-such-rule
SELECT 1;
