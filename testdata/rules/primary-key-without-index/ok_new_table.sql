SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE parts (id bigint NOT NULL, name text);
ALTER TABLE parts ADD PRIMARY KEY (id);
