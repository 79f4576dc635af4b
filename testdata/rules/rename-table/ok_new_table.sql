SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE tmp_clients (id bigint PRIMARY KEY);
ALTER TABLE tmp_clients RENAME TO clients;
