SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE items ADD COLUMN total numeric;
