-- SET LOCAL outside a transaction block has no effect (PostgreSQL warns)
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN note text;
