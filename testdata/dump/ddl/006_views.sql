-- views, materialized views and a sequence
CREATE VIEW open_orders AS SELECT id, account_id, total FROM orders WHERE status = 'new';
CREATE MATERIALIZED VIEW account_totals AS
    SELECT account_id, sum(total) AS total FROM orders GROUP BY account_id;
CREATE UNIQUE INDEX account_totals_account_id_idx ON account_totals (account_id);
CREATE SEQUENCE invoice_numbers START 1000;
