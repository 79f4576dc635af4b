SET lock_timeout = '2s'; SET statement_timeout = '5min';
UPDATE users SET tags[1] = 'a', tags[2] = 'b' WHERE id = 1;
