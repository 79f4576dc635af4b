-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN note TYPE text;
