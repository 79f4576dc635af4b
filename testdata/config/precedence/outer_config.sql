-- This directory's .pgsafe.yaml: PostgreSQL 12, missing-lock-timeout off.
ALTER TABLE events ADD COLUMN kind int DEFAULT 1;
