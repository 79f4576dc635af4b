SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE samples (logdate date NOT NULL) PARTITION BY RANGE (logdate);
CREATE TABLE samples_2025 PARTITION OF samples FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
