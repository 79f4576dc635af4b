-- events has no key: the backfill goes by ctid.
ALTER TABLE events ADD COLUMN tag text DEFAULT (clock_timestamp() IS NOT NULL)::text;
