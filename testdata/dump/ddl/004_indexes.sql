-- plain, unique, partial and expression indexes
CREATE INDEX orders_account_id_idx ON orders (account_id);
CREATE UNIQUE INDEX accounts_lower_email_idx ON accounts (lower(email));
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status = 'new';
CREATE INDEX order_items_sku_idx ON order_items USING hash (sku);
