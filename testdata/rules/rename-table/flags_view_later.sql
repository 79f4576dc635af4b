SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- the view comes in a later transaction: queries fail in between
ALTER TABLE customers RENAME TO clients;
CREATE VIEW customers AS SELECT * FROM clients;
