SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE accounts ADD COLUMN note text;
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
