SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE items (id bigint PRIMARY KEY, price numeric, qty int);
ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
