SET lock_timeout = '2s'; SET statement_timeout = '5min';
INSERT INTO users (id, name, id) VALUES (1, 'a', 2);
