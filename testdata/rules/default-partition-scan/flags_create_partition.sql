-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
