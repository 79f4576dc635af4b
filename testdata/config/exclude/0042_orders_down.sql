-- Excluded by .pgsafe.yaml: not read at all, not even counted.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();
