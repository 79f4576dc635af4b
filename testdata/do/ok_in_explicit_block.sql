SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
DO $$ BEGIN ALTER TABLE users ADD COLUMN note text; END $$;
COMMIT;
