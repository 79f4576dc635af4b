SET lock_timeout = '2s';
CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);
ALTER TABLE items ADD COLUMN qty positive_int;
