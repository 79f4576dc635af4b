SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN label AS text;
ALTER TABLE items ADD COLUMN tag label;
