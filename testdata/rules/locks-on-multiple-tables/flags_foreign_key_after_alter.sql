-- pgsafe-test: --assume-in-transaction
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan text;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
