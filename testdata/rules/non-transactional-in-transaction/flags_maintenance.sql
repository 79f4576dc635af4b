-- pgsafe-test: --assume-in-transaction
SET LOCAL lock_timeout = '2s';
DROP INDEX CONCURRENTLY users_old_idx;
REINDEX INDEX CONCURRENTLY users_email_idx;
ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;
VACUUM (ANALYZE) users;
