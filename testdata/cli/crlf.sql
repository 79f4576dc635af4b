-- CRLF line endings: columns and spans as with LF
ALTER TABLE accounts ADD COLUMN note text;
CREATE INDEX accounts_note_idx ON accounts (note);
SELECT FROM WHERE;
