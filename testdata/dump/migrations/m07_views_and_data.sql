-- views, materialized views, data changes that check foreign keys
REFRESH MATERIALIZED VIEW account_totals;
REFRESH MATERIALIZED VIEW CONCURRENTLY account_totals;
CREATE OR REPLACE VIEW open_orders AS
    SELECT id, account_id, total, note FROM orders WHERE status = 'new';
DELETE FROM accounts WHERE id = 1;
UPDATE orders SET note = 'x';
TRUNCATE order_items;
LOCK TABLE open_orders IN ACCESS EXCLUSIVE MODE;
