SET lock_timeout = '2s';
ALTER TABLE items ADD COLUMN qty int;
ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE items VALIDATE CONSTRAINT items_qty_positive;
