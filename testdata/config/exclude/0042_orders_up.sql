-- Not excluded: linted as usual.
SET statement_timeout = '5min';
ALTER TABLE orders ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();
