SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN note text;
-- reported once per file: not again here
ALTER TABLE orders ADD COLUMN note text;
