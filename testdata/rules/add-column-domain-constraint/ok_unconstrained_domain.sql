SET lock_timeout = '2s';
CREATE DOMAIN label AS text;
ALTER TABLE items ADD COLUMN tag label;
