SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER DOMAIN phone VALIDATE CONSTRAINT phone_digits;
