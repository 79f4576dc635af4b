-- a syntax error in the middle: the statements before and after it are
-- still analyzed (the CREATE INDEX after it is flagged)
ALTER TABLE accounts ADD COLUMN note text;
ALTER TABLE accounts ADD COLUMN oops text DEFALT 'x';
CREATE INDEX accounts_note_idx ON accounts (note);
