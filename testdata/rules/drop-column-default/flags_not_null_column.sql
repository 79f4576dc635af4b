-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- status is NOT NULL: inserts that leave it out fail
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
