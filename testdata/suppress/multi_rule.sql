-- One directive can name several rules, with or without spaces after commas.
SET statement_timeout = '5min';
-- pgsafe:ignore missing-lock-timeout, add-column-volatile-default maintenance window
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore-file require-concurrent-index,missing-lock-timeout built during the outage
CREATE INDEX IF NOT EXISTS accounts_token_idx ON accounts (token);
