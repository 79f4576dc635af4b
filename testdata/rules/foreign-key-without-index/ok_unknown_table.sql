SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- payments is only known from this ALTER: its indexes are unknown
ALTER TABLE payments ADD CONSTRAINT payments_order_fk
  FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
