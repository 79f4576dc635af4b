-- pgsafe-test: earlier_no_default.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE readings_2024 PARTITION OF readings
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
