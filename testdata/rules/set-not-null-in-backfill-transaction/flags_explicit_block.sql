-- pgsafe-test: earlier_migration.sql.in
BEGIN;
SET LOCAL lock_timeout = '2s';
UPDATE users SET region = 'eu' WHERE region IS NULL;
ALTER TABLE users ALTER COLUMN region SET NOT NULL;
COMMIT;
