-- fail_on: warning in .pgsafe.yaml: a warning alone exits 1.
SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);
ALTER TABLE events ALTER COLUMN kind SET DEFAULT 0;
