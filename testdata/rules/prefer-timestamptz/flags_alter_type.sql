SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE jobs (id bigint, run_at timestamptz);
ALTER TABLE jobs ALTER COLUMN run_at TYPE timestamp(3);
