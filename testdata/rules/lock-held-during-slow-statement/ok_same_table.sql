BEGIN;
SET LOCAL lock_timeout = '2s';
-- the scan runs under the statement's own ACCESS EXCLUSIVE: the earlier lock adds
-- nothing (check-constraint-without-not-valid reports the scan itself)
ALTER TABLE orders ADD COLUMN amount_cents bigint;
ALTER TABLE orders ADD CONSTRAINT orders_amount_cents_positive CHECK (amount_cents > 0);
COMMIT;
