-- pgsafe-test: --assume-in-transaction
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN note text;
COMMIT;
CREATE INDEX CONCURRENTLY users_note_idx ON users (note);
