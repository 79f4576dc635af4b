SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE samples (at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE samples_2024 PARTITION OF samples FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX samples_kind_idx ON samples (kind);
