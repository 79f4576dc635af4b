SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- a DO block's statements are analyzed like statements written at the top level
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
  CREATE INDEX users_token_idx ON users (token);
END
$$;
