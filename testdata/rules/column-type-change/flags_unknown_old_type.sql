SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE payments ALTER COLUMN amount TYPE numeric(12,2);
