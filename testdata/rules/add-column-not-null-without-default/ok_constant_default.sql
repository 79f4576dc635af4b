SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN region text NOT NULL DEFAULT 'eu';
