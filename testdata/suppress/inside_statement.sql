-- A directive inside a statement belongs to no statement.
SET lock_timeout = '2s';
ALTER TABLE events
  -- pgsafe:ignore add-column-volatile-default
  ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
