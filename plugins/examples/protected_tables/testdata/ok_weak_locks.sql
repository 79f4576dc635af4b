-- pgsafe-test: --plugin protected_tables --plugin-option protected-tables.tables=accounts,billing.invoices
-- SHARE UPDATE EXCLUSIVE and weaker locks on protected tables, and other tables.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email);
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_id_fkey;
ANALYZE accounts;
-- invoices outside the billing schema are not protected
ALTER TABLE public.invoices ADD COLUMN IF NOT EXISTS paid_at timestamptz;
-- a table created in this migration is new: nothing waits on it
CREATE TABLE billing.invoices (id bigint PRIMARY KEY);
ALTER TABLE billing.invoices ADD COLUMN IF NOT EXISTS paid_at timestamptz;
