-- pgsafe-test: --context context/shop.sql
ALTER TABLE orders ADD CONSTRAINT amount_nonnegative CHECK (amount >= 0);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL;
ALTER TABLE orders ADD CHECK (amount < customer_id);
ALTER TABLE orders ADD CONSTRAINT already_not_valid CHECK (amount < 1000) NOT VALID;
