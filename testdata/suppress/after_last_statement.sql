-- A statement directive after the last statement has nothing to silence.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore add-column-volatile-default
