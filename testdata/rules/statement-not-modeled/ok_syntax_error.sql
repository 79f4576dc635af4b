SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- the syntax error has its own diagnostic; the rule never sees the statement
ALTER TABLE users ADD COLUMN;
ALTER TABLE users ADD COLUMN note text;
