-- CHECK constraints validated and NOT VALID, foreign keys validated and
-- NOT VALID, a CHECK (col IS NOT NULL) that later allows SET NOT NULL
ALTER TABLE orders ADD CONSTRAINT orders_price_check CHECK (price >= 0);
ALTER TABLE orders ADD CONSTRAINT orders_note_length CHECK (length(note) < 500) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_placed_at_not_null CHECK (placed_at IS NOT NULL);
ALTER TABLE accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);
