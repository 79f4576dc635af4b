-- indexes the schema already has, by name
DROP INDEX orders_account_id_idx;
DROP INDEX accounts_lower_email_idx;
DROP INDEX events_kind_idx;
REINDEX INDEX orders_open_idx;
CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE accounts DROP CONSTRAINT accounts_code_key;
