SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
