SET lock_timeout = '2s';
ALTER TABLE orders ADD CHECK (amount < 1000000);
