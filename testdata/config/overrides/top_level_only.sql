-- No override matches: the top level's warning applies.
SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
