SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN sku AS text;
CREATE TABLE products (id bigint PRIMARY KEY, sku sku);
ALTER DOMAIN sku ADD CONSTRAINT sku_upper CHECK (VALUE = upper(VALUE)) NOT VALID;
ALTER DOMAIN sku VALIDATE CONSTRAINT sku_upper;
