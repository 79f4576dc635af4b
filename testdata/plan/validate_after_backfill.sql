-- pgsafe-test: --context context/shop.sql
-- A migration that validates before it fills: each validation (and what
-- rests on it) moves behind the later backfill of its columns; the NOT VALID
-- constraint already checks the backfill's writes.
ALTER TABLE orders ADD CONSTRAINT amount_small CHECK (amount < 1000);
UPDATE orders SET amount = 0 WHERE amount >= 1000;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
UPDATE orders SET note = '' WHERE note IS NULL;
ALTER TABLE accounts ADD PRIMARY KEY (id);
UPDATE accounts SET id = 0 WHERE id IS NULL;
