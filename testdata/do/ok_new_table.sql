SET lock_timeout = '2s'; SET statement_timeout = '5min';
DO $$ BEGIN
  CREATE TABLE audit (id bigint PRIMARY KEY, entry text);
  CREATE INDEX audit_entry_idx ON audit (entry);
END $$;
-- created by the DO block above, in this migration: new
ALTER TABLE audit ADD COLUMN at timestamptz DEFAULT clock_timestamp();
