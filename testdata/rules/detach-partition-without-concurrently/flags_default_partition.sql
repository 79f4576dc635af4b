-- pgsafe-test: earlier_with_default.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- CONCURRENTLY is refused while a default partition exists: the help says so
ALTER TABLE readings DETACH PARTITION readings_2020;
