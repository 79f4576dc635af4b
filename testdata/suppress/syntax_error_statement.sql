-- An ignore above a statement that does not parse is not reported as unused:
-- the statement was not checked. The syntax error itself cannot be ignored.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore add-column-volatile-default
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp(;
