SET lock_timeout = '2s'; SET statement_timeout = '5min';
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;
