-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE measurements ATTACH PARTITION measurements_2024
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
