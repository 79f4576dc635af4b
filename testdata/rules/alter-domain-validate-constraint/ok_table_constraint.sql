-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
