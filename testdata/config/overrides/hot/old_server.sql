-- hot/ runs on PostgreSQL 10: the constant default rewrites too.
SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN kind int DEFAULT 1;
