-- Both overrides match, in order: PostgreSQL 10 from the first, severities
-- from the second.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
