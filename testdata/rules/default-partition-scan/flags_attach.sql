-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE measurements_2025 (logdate date NOT NULL, value int);
ALTER TABLE measurements ATTACH PARTITION measurements_2025
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
