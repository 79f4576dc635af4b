SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
