SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY orders_customer_id_created_at_status_shipping_country_partial_idx
  ON orders (customer_id, created_at, status, shipping_country);
