-- new columns: domains with and without constraints, defaults, NOT NULL
ALTER TABLE accounts ADD COLUMN score positive_int;
ALTER TABLE accounts ADD COLUMN tag short_label;
ALTER TABLE accounts ADD COLUMN handle email_address;
ALTER TABLE accounts ADD COLUMN uid uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN flag boolean NOT NULL;
ALTER TABLE orders ADD COLUMN shipped boolean NOT NULL DEFAULT false;
