-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
UPDATE users SET region = 'eu' WHERE region IS NULL AND id < 10000;
COMMIT;
ALTER TABLE users ADD CONSTRAINT users_region_not_null CHECK (region IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_region_not_null;
ALTER TABLE users ALTER COLUMN region SET NOT NULL;
