-- pgsafe-test: --pg-version=11 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- before PostgreSQL 12 ATTACH locks the parent as much: the help says so
CREATE TABLE measurements_2025 PARTITION OF measurements
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
