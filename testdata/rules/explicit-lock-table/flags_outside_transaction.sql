SET lock_timeout = '2s'; SET statement_timeout = '5min';
LOCK TABLE accounts IN SHARE MODE;
