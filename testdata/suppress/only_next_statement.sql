-- The directive silences the statement right below it, not the ones after.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore add-column-volatile-default small table
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
