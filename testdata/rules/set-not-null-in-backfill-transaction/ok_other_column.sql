-- pgsafe-test: --assume-in-transaction
SET lock_timeout = '2s'; SET statement_timeout = '5min';
UPDATE users SET name = 'unknown' WHERE name IS NULL;
ALTER TABLE users ALTER COLUMN region SET NOT NULL;
