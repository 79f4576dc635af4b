SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO 'BEGIN UPDATE users SET note = ''none''; END';
