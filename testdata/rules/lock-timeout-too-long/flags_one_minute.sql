SET lock_timeout = '1min'; SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN note text;
