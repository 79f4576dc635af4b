-- pgsafe-test: --assume-in-transaction
SET LOCAL lock_timeout = '2s';
DELETE FROM sessions WHERE expires_at < now();
-- reported once, at the first schema change after the backfill
ALTER TABLE sessions ADD COLUMN device text;
ALTER TABLE sessions ADD COLUMN ip inet;
