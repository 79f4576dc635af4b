SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$ BEGIN CREATE INDEX CONCURRENTLY users_email_idx ON users (email); END $$;
