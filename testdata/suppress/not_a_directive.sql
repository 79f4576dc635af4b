-- Text that looks like a directive inside a string, a dollar quote or a
-- function body is not one; nor is a different word after "pgsafe:".
SET lock_timeout = '2s'; SET statement_timeout = '5min';
SELECT '
-- pgsafe:ignore-file add-column-volatile-default
';
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$
-- pgsafe:ignore-file add-column-volatile-default
SELECT 1 $body$;
-- pgsafe:ignored add-column-volatile-default
-- pgsafe:ignore-filex add-column-volatile-default
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
