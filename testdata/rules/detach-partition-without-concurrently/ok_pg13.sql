-- pgsafe-test: --pg-version=13 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- no DETACH ... CONCURRENTLY before PostgreSQL 14: the rule does not apply
ALTER TABLE measurements DETACH PARTITION measurements_2020;
