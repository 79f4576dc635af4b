SET lock_timeout = '2s'; SET statement_timeout = '5min';
DROP VIEW active_users;
