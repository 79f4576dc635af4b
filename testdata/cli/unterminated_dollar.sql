-- an unterminated dollar-quoted string runs to the end of the file
ALTER TABLE accounts ADD COLUMN note text;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$
  SELECT 1;
CREATE INDEX accounts_note_idx ON accounts (note);
