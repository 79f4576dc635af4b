SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE events (id bigint, happened_at timestamp NOT NULL);
