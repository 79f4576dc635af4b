SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$ BEGIN EXECUTE 'ALTER TABLE users ADD COLUMN note text'; END $$;
