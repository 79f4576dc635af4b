-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;
