-- Both overrides match, in order: PostgreSQL 10 from the first, severities
-- from the second.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN kind int DEFAULT 1;
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
