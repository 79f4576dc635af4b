SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE carts (id bigint PRIMARY KEY, state text DEFAULT 'open');
ALTER TABLE carts ALTER COLUMN state DROP DEFAULT;
