SET lock_timeout = '2s'; SET statement_timeout = '5min';
UPDATE users SET name = trim(name), email = lower(email), name = lower(name) WHERE id < 1000;
