-- pgsafe-test: --plugin test_probe --assume-in-transaction --pg-version=12
-- The transaction the migration tool opens, a statement_timeout, and no option given.
SET statement_timeout = '30s';
UPDATE gadgets SET token = NULL;
