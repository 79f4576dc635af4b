SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE refunds (id bigint PRIMARY KEY, amount int);
ALTER TABLE refunds ALTER COLUMN amount TYPE bigint;
