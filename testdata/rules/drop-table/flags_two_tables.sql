SET lock_timeout = '2s'; SET statement_timeout = '5min';
DROP TABLE IF EXISTS legacy_events, legacy_sessions;
