SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
