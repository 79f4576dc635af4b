-- Unknown ids are reported, and the known ids beside them still apply.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore add-column-volatle-default,add-column-volatile-default typo in the first id
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore syntax-error, unused-ignore input problems and ignore's own ids cannot be ignored
SELECT 1;
-- pgsafe:ignore
SELECT 2;
