-- pgsafe-test: --context context/shop.sql
-- No online form: a stored generated column, an identity, NOT NULL without a default.
ALTER TABLE orders ADD COLUMN total int GENERATED ALWAYS AS (amount * 2) STORED;
ALTER TABLE events ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE accounts ADD COLUMN email text NOT NULL;
