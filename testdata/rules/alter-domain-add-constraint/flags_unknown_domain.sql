SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- pgsafe does not know which tables use it: reported anyway
ALTER DOMAIN phone ADD CONSTRAINT phone_digits CHECK (VALUE ~ '^[0-9]+$');
