BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;
-- VALIDATE takes only SHARE UPDATE EXCLUSIVE, but ACCESS EXCLUSIVE is still held
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
COMMIT;
