SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
