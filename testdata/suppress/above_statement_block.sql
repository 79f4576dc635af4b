-- A comment block above the statement applies as a whole: blank lines and
-- other comments between the directive and the statement do not break it.
SET lock_timeout = '2s'; SET statement_timeout = '5min';

-- pgsafe:ignore add-column-volatile-default backfilled table, 40 rows

/* reviewed by the DBA on call */
-- one more note
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
