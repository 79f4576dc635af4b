SET lock_timeout = '2s'; SET statement_timeout = '5min';
UPDATE users SET name = trim(name), email = lower(email) WHERE id < 1000;
