-- pgsafe-test: --assume-in-transaction
SET lock_timeout = '2s'; SET statement_timeout = '5min';
SELECT count(*) FROM users WHERE id < 10;
CREATE INDEX users_region_idx ON users (region);
