-- pgsafe-test: --pg-version=14
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- PostgreSQL 14 has no SET ACCESS METHOD: not modeled, and this rule does not apply
ALTER TABLE metrics SET ACCESS METHOD columnar;
