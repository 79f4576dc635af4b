-- A directive after a statement, on its line, belongs to no statement: it
-- silences neither that statement nor the next one, and says so.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp(); -- pgsafe:ignore add-column-volatile-default
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
