SET lock_timeout = '2s';
CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
