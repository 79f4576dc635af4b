SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE users (id bigint, name varchar(100));
