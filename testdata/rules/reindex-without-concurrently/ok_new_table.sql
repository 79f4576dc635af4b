SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
CREATE INDEX tags_name_idx ON tags (name);
REINDEX TABLE tags;
