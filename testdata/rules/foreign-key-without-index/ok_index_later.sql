SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
