-- pgsafe-test: --pg-version=10 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- PostgreSQL 10 has no indexes on partitioned tables: the rule does not apply
CREATE INDEX events_kind_idx ON events (kind);
