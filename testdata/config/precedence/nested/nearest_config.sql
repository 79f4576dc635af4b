-- nested/.pgsafe.yaml applies, alone: PostgreSQL 10, and missing-lock-timeout
-- is on again because nothing is inherited from the configuration above.
SET statement_timeout = '5min';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kind int DEFAULT 1;
