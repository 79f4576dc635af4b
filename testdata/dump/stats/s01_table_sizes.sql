-- with --stats: the same hazards on a small table (accounts: a handful of
-- rows) and a large one (orders: 20,000 rows)
ALTER TABLE accounts ADD COLUMN uid uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN uid uuid DEFAULT gen_random_uuid();
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE INDEX orders_note_idx ON orders (note);
-- fails on any row, however few: stays an error
ALTER TABLE accounts ADD COLUMN flag boolean NOT NULL;
