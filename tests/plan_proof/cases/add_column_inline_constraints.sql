-- Constraints declared with a new column on a table with rows: the CHECK
-- and the UNIQUE get steps of their own; the foreign key of a column that
-- starts all NULL has nothing to validate.
ALTER TABLE orders ADD COLUMN code text DEFAULT (md5(clock_timestamp()::text) IS NOT NULL)::text CHECK (code <> ''),
    ADD COLUMN customer2 int REFERENCES customers (id);
ALTER TABLE events ADD COLUMN ref int UNIQUE;
