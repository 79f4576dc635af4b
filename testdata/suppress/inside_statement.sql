-- A directive inside a statement belongs to no statement.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events
  -- pgsafe:ignore add-column-volatile-default
  ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
