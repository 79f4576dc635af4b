SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers (id));
