-- timestamp <-> timestamptz conversions with a session TimeZone that is not UTC
-- setup
SET TimeZone = 'America/New_York';
CREATE TABLE public.tz (id bigint PRIMARY KEY, ts timestamp, tstz timestamptz);
INSERT INTO tz
SELECT g, '2024-01-01'::timestamp + g * interval '1 minute', '2024-01-01'::timestamptz + g * interval '1 minute'
FROM generate_series(1, 3000) g;
-- test
ALTER TABLE tz ALTER COLUMN ts TYPE timestamptz;
-- test
ALTER TABLE tz ALTER COLUMN tstz TYPE timestamp;
-- test
ALTER TABLE tz ALTER COLUMN ts TYPE timestamptz USING ts AT TIME ZONE 'UTC';
