-- pgsafe-test: --context context/shop.sql
-- Data changes over whole existing tables run in committed batches: by key
-- when one is known, by ctid otherwise; some cannot be batched.
UPDATE orders SET note = upper(note) WHERE note LIKE 'a%';
DELETE FROM events WHERE kind = 'obsolete';
UPDATE orders SET amount = amount + 1;
UPDATE events SET n = n + 1;
UPDATE orders SET note = c.name FROM customers c WHERE c.id = orders.customer_id;
UPDATE orders SET id = id + 1000000;
