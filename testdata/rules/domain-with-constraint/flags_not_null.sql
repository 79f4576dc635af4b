SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN region_code AS text NOT NULL;
