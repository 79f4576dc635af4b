-- Give orders a public identifier.
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
CREATE INDEX orders_public_id_idx ON orders (public_id);
