SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- only names a statement defines are checked
SELECT count(*) FROM orders_customer_id_created_at_status_shipping_country_partial_idx_x;
