SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE invoices ALTER COLUMN currency DROP DEFAULT;
