-- Ignores that silence nothing are reported, so they do not outlive the code.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore require-concurrent-index left over from an older version
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore-file drop-index-without-concurrently nothing is dropped here
-- a rule that does not run for this PostgreSQL version is not "unused":
-- pgsafe:ignore add-column-default-before-pg11
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
