-- The directive on the line above silences that statement's finding.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore add-column-volatile-default the events table is still empty in production
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
