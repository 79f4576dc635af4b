SET lock_timeout = '2s';
DO $$ BEGIN EXECUTE 'ALTER TABLE users ADD COLUMN note text'; END $$;
