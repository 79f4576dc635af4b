SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE orders (id serial PRIMARY KEY, total numeric);
