-- pgsafe-test: --plugin protected_tables --plugin-option protected-tables.tables=accounts
-- A change agreed with the table's owners, said with an ignore comment.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
-- pgsafe:ignore protected-tables/lock-too-strong agreed with the accounts team for the 02:00 window
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS nickname text;
