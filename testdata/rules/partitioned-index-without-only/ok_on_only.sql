-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE INDEX events_kind_idx ON ONLY events (kind);
CREATE INDEX CONCURRENTLY events_2024_kind_idx ON events_2024 (kind);
ALTER INDEX events_kind_idx ATTACH PARTITION events_2024_kind_idx;
