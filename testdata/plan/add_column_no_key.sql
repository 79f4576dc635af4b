-- pgsafe-test: --context context/shop.sql
-- events has no key: the backfill batches by ctid, and stops with an error if a
-- batch leaves rows still matching.
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
