-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- refused by PostgreSQL on a partitioned table
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
