SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO LANGUAGE plpython3u $$ plpy.execute("ALTER TABLE users ADD COLUMN c int") $$;
