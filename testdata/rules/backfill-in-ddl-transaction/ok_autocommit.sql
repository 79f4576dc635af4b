SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN region text;
UPDATE users SET region = 'eu' WHERE id < 10000 AND region IS NULL;
