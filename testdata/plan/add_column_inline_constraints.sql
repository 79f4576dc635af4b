-- pgsafe-test: --context context/shop.sql
-- Constraints declared with the column: the CHECK and the UNIQUE are moved to
-- steps of their own; the foreign key of an all-NULL column is kept.
ALTER TABLE orders ADD COLUMN code text CHECK (code <> '') UNIQUE, ADD COLUMN invoice_id int REFERENCES invoices (id);
