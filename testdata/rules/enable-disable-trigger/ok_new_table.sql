SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE invoices (id bigint PRIMARY KEY);
ALTER TABLE invoices DISABLE TRIGGER ALL;
