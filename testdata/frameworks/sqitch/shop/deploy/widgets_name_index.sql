BEGIN;
CREATE INDEX CONCURRENTLY widgets_name_idx ON widgets (name);
COMMIT;
