SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE contacts (id bigint PRIMARY KEY, phone text NOT NULL);
ALTER TABLE contacts ALTER COLUMN phone DROP NOT NULL;
