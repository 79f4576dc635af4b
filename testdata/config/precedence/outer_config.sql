-- This directory's .pgsafe.yaml: PostgreSQL 12, missing-lock-timeout off.
SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
