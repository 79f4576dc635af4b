-- pgsafe-test: --pg-version=11 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- before PostgreSQL 12 the parent is locked ACCESS EXCLUSIVE too
ALTER TABLE measurements ATTACH PARTITION measurements_2024
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
