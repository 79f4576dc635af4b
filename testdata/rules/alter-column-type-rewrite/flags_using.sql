-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- a USING expression is evaluated for every row, even between compatible types
ALTER TABLE orders ALTER COLUMN code TYPE varchar(20) USING upper(code);
