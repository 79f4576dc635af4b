-- pgsafe-test: --plugin naming
-- Names that follow the convention, and unnamed constraints.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
CREATE TABLE IF NOT EXISTS invoices (
    id bigint CONSTRAINT invoices_pkey PRIMARY KEY,
    number text CONSTRAINT invoices_number_key UNIQUE,
    account_id bigint CONSTRAINT invoices_account_id_fkey REFERENCES accounts (id),
    total numeric CONSTRAINT invoices_total_check CHECK (total >= 0),
    currency text NOT NULL UNIQUE,
    CONSTRAINT invoices_account_id_number_key UNIQUE (account_id, number),
    CONSTRAINT invoices_total_currency_check CHECK (total = 0 OR currency <> '')
);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
