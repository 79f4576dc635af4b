-- A file-wide ignore applies to the whole file, wherever it stands.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
CREATE INDEX accounts_token_idx ON accounts (token);
-- pgsafe:ignore-file add-column-volatile-default both tables are tiny lookup tables
