SET lock_timeout = '2s';
CREATE TABLE items (id bigint PRIMARY KEY, price numeric, qty int);
ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
