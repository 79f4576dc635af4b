BEGIN;
ALTER TABLE widgets ADD COLUMN token uuid DEFAULT gen_random_uuid();
COMMIT;
