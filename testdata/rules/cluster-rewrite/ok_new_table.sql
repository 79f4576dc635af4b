SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz);
CREATE INDEX log_at_idx ON log (at);
CLUSTER log USING log_at_idx;
