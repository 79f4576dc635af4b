SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE drafts (id bigint PRIMARY KEY, txt text);
ALTER TABLE drafts RENAME COLUMN txt TO body;
