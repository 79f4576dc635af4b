-- a psql meta-command between two statements: skipped with a hint,
-- counted as not modeled, and both statements still analyzed
ALTER TABLE accounts ADD COLUMN note text;
\set ON_ERROR_STOP on
CREATE INDEX CONCURRENTLY accounts_note_idx ON accounts (note);
