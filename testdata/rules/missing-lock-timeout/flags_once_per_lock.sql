BEGIN;
-- reported where the lock is requested; the block holds it afterwards
ALTER TABLE users ADD COLUMN note text;
ALTER TABLE users ADD COLUMN flags int;
CREATE INDEX orders_user_idx ON orders (user_id);
COMMIT;
