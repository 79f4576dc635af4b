SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE countries ADD COLUMN iso3 character(3);
