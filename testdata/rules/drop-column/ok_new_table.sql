SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE drafts (id bigint PRIMARY KEY, body text, tmp int);
ALTER TABLE drafts DROP COLUMN tmp;
