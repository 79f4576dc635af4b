SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER INDEX users_name_idx RENAME TO users_full_name_idx;
