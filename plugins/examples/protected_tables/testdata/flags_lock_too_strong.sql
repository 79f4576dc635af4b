-- pgsafe-test: --plugin protected_tables --plugin-option protected-tables.tables=accounts,billing.invoices
-- Locks stronger than SHARE UPDATE EXCLUSIVE on protected tables.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
-- SHARE: blocks writes
CREATE INDEX accounts_email_idx ON accounts (email);
-- ACCESS EXCLUSIVE on billing.invoices, in any schema named in full
ALTER TABLE billing.invoices ADD COLUMN IF NOT EXISTS paid_at timestamptz;
-- SHARE ROW EXCLUSIVE on the referenced table too
ALTER TABLE orders ADD CONSTRAINT orders_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
-- "accounts" without a schema protects the table in every schema
ALTER TABLE audit.accounts RENAME COLUMN note TO notes;
