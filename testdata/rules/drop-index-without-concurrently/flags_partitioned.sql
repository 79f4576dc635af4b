-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s';
DROP INDEX events_at_idx;
