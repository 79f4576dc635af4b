SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'orders_total_positive') THEN
    ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
  ELSE
    ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
  END IF;
  BEGIN
    ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
  EXCEPTION WHEN others THEN
    ALTER TABLE orders ALTER COLUMN note TYPE text;
  END;
END
$do$;
