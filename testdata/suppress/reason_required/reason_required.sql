-- With require_ignore_reason, an ignore without a reason is reported, and
-- still applies.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe:ignore add-column-volatile-default
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
-- pgsafe:ignore add-column-volatile-default: accounts has 12 rows
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
-- pgsafe:ignore-file require-concurrent-index
CREATE INDEX IF NOT EXISTS accounts_token_idx ON accounts (token);
