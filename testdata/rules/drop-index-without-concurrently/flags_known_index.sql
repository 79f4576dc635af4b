-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s';
DROP INDEX IF EXISTS users_email_idx;
