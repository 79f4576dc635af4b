-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- metrics is a heap table already: nothing is rewritten
ALTER TABLE metrics SET ACCESS METHOD heap;
