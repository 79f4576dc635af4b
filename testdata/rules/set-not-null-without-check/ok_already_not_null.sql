-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- name is declared NOT NULL by the earlier migration: nothing to check
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
