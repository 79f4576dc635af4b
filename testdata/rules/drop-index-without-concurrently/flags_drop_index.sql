SET lock_timeout = '2s'; SET statement_timeout = '5min';
DROP INDEX users_email_idx;
