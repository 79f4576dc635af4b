SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- with a default every row holds a value to check
ALTER TABLE orders ADD COLUMN owner_id bigint DEFAULT 0 REFERENCES users (id);
