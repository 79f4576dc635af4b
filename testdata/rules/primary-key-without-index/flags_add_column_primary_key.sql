-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE items ADD COLUMN item_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
