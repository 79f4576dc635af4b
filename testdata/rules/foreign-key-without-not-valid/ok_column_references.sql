SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- a new column without a default is NULL everywhere: PostgreSQL skips the check
ALTER TABLE orders ADD COLUMN owner_id bigint REFERENCES users (id);
