-- Data changes over whole tables, batched: by key on orders, by ctid on
-- events (an UPDATE whose rows stop matching, and a DELETE).
UPDATE orders SET note = upper(note) WHERE note LIKE 'note 1%';
UPDATE orders SET amount = amount + 1;
UPDATE events SET payload = 'p' || n WHERE n % 5 = 0 AND payload <> 'p' || n;
DELETE FROM events WHERE kind = 'kind 3';
DELETE FROM orders WHERE amount > 90;
