SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE samples (logdate date NOT NULL) PARTITION BY RANGE (logdate);
CREATE TABLE samples_2020 PARTITION OF samples FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
ALTER TABLE samples DETACH PARTITION samples_2020;
