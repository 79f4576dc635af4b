SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE orders ADD COLUMN coupon_id integer REFERENCES coupons (id);
