SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
