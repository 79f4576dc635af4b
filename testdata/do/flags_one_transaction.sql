SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- autocommit, but a DO block is one statement: the ALTER's lock is held
-- while the UPDATE touches every row
DO $$ BEGIN
  ALTER TABLE accounts ADD COLUMN region text;
  UPDATE accounts SET region = 'eu';
END $$;
