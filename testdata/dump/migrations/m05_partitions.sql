-- partitions: a new one next to the default partition, detach, attach
CREATE TABLE events_2026 PARTITION OF events
    FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');
ALTER TABLE events DETACH PARTITION events_2024;
ALTER TABLE events ALTER COLUMN kind TYPE varchar(50);
ALTER TABLE events_default ADD CONSTRAINT events_default_kind CHECK (kind <> '');
