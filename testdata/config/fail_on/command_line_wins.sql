-- pgsafe-test: --fail-on=error
-- --fail-on on the command line wins over fail_on: warning in .pgsafe.yaml.
SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);
ALTER TABLE events ALTER COLUMN kind SET DEFAULT 0;
