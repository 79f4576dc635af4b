-- pgsafe-test: --pg-version=11 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- before PostgreSQL 12 SET NOT NULL scans even with a validated check
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
