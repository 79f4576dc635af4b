-- pgsafe-test: --pg-version=11 earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- PostgreSQL 11 has no REINDEX CONCURRENTLY: the help does not offer it
REINDEX INDEX users_email_idx;
