SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE items ADD COLUMN qty int;
ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE items VALIDATE CONSTRAINT items_qty_positive;
