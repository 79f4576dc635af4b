-- pgsafe-test: --plugin naming
-- Constraint names that are not <table>_<columns>_<kind>.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
CREATE TABLE IF NOT EXISTS invoices (
    id bigint CONSTRAINT pk_invoices PRIMARY KEY,
    number text CONSTRAINT invoice_number_unique UNIQUE,
    account_id bigint CONSTRAINT fk_account REFERENCES accounts (id),
    total numeric CONSTRAINT positive_total CHECK (total >= 0),
    CONSTRAINT invoices_account_id_number_uniq UNIQUE (account_id, number)
);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT total_check CHECK (total >= 0) NOT VALID;
