-- hot/ runs on PostgreSQL 10: the constant default rewrites too.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
