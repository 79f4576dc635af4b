ALTER TABLE users ADD COLUMN token text;
