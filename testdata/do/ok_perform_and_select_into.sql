SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM users WHERE id < 100;
  PERFORM pg_notify('migrations', n::text);
  RAISE NOTICE 'checked % users', n;
END $$;
