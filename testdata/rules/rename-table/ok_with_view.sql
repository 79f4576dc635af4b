SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
ALTER TABLE customers RENAME TO clients;
CREATE VIEW customers AS SELECT * FROM clients;
COMMIT;
