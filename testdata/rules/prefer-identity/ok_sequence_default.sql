SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE SEQUENCE invoice_numbers;
CREATE TABLE invoices (no bigint DEFAULT nextval('invoice_numbers'));
