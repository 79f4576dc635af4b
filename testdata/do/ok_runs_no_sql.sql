SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- a block that runs no SQL statement
DO $$ BEGIN RAISE NOTICE 'nothing to do'; END $$;
