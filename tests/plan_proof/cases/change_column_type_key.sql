-- Integer keys grow to bigint: events.n with two indexes on it, and a
-- serial column whose sequence must follow the new column.
ALTER TABLE events ALTER COLUMN n TYPE bigint;
ALTER TABLE tickets ALTER COLUMN id TYPE bigint;
