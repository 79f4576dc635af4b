-- validating NOT VALID constraints, adding and dropping checks
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_length;
ALTER TABLE order_items VALIDATE CONSTRAINT order_items_order_fk;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_check CHECK (quantity < 1000);
ALTER TABLE orders ADD CONSTRAINT orders_quantity_small CHECK (quantity < 100) NOT VALID;
ALTER TABLE orders DROP CONSTRAINT orders_price_check;
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk2 FOREIGN KEY (order_id) REFERENCES orders (id);
