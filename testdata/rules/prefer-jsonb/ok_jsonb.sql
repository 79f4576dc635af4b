SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE events (id bigint, payload jsonb);
