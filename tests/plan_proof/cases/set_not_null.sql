-- The usual backfill then SET NOT NULL: a checkpoint (the application must
-- write the column first), the UPDATE, then the validated-check sequence.
UPDATE orders SET note = 'none' WHERE note IS NULL;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
