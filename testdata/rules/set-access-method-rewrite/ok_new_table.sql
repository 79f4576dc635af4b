SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE metrics_new (ts timestamptz, value float8);
ALTER TABLE metrics_new SET ACCESS METHOD columnar;
