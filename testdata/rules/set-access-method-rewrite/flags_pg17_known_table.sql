-- pgsafe-test: --pg-version=17 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE metrics SET ACCESS METHOD columnar;
