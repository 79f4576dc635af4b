-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
