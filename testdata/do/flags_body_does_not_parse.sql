SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$ BEGIN ALTER TABLE users ADD; END $$;
