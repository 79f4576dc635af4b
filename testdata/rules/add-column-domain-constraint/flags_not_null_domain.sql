SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN region_code AS text NOT NULL;
ALTER TABLE users ADD COLUMN region region_code DEFAULT 'eu';
