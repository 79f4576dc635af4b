SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    -- built at run time: reported as not modeled, never as safe
    EXECUTE format('ALTER TABLE %I ADD COLUMN created_at timestamptz', t);
  END LOOP;
END $$;
