-- pg_version: 10 from .pgsafe.yaml: before PostgreSQL 11 any default rewrites.
SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
