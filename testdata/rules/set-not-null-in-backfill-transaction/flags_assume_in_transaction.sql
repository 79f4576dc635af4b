-- pgsafe-test: --assume-in-transaction
SET lock_timeout = '2s'; SET statement_timeout = '5min';
UPDATE users SET (region, name) = ('eu', 'unknown') WHERE region IS NULL;
ALTER TABLE users ALTER COLUMN region SET NOT NULL, ALTER COLUMN name SET NOT NULL;
