-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- below this rule's range: add-column-default-before-pg11 reports it on PostgreSQL 10
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
