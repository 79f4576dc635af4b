-- pgsafe-test: --plugin test_probe --plugin-option probe.label=hello
-- What every host function answers (tests/plugins/test_plugin.c, variant probe).
CREATE TABLE IF NOT EXISTS widgets (id bigint NOT NULL, name text);
BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE gadgets ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
ALTER TABLE widgets ALTER COLUMN name SET NOT NULL;
COMMIT;
CREATE INDEX CONCURRENTLY IF NOT EXISTS gadgets_token_idx ON gadgets (token);
