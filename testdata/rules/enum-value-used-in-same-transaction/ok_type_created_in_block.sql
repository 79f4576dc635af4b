SET lock_timeout = '2s'; SET statement_timeout = '5min';
BEGIN;
CREATE TYPE mood AS ENUM ('sad');
ALTER TYPE mood ADD VALUE 'happy' AFTER 'sad';
SELECT 'happy'::mood;
COMMIT;
