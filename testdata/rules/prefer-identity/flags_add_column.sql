SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE events (payload text);
ALTER TABLE events ADD COLUMN id bigserial;
