-- No schema: pgsafe does not know the column, so it says what it cannot do.
ALTER TABLE users RENAME COLUMN name TO full_name;
