SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- PostgreSQL refuses it even on a table created in this migration
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
UPDATE tags SET name = 'a', name = 'b' WHERE id = 1;
