-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE measurements_2024 ADD CONSTRAINT m2024_bound
  CHECK (logdate >= '2024-01-01' AND logdate < '2025-01-01') NOT VALID;
ALTER TABLE measurements_2024 VALIDATE CONSTRAINT m2024_bound;
ALTER TABLE measurements ATTACH PARTITION measurements_2024
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE measurements_2024 DROP CONSTRAINT m2024_bound;
