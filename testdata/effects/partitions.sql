-- declarative partitioning without a default partition
-- setup
CREATE TABLE public.m (id bigint NOT NULL, created date NOT NULL, v int) PARTITION BY RANGE (created);
CREATE TABLE public.m_2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO m SELECT g, '2023-01-01'::date + (g % 730), g FROM generate_series(1, 4000) g;
CREATE TABLE public.m_2025 (LIKE m INCLUDING DEFAULTS);
INSERT INTO m_2025 SELECT g, '2025-01-01'::date + (g % 365), g FROM generate_series(1, 3000) g;
CREATE TABLE public.m_2026 (LIKE m INCLUDING DEFAULTS,
    CONSTRAINT m_2026_range CHECK (created >= '2026-01-01' AND created < '2027-01-01'));
INSERT INTO m_2026 SELECT g, '2026-01-01'::date + (g % 365), g FROM generate_series(1, 3000) g;
CREATE TABLE public.other (id bigint PRIMARY KEY, v int);
INSERT INTO other SELECT g, g FROM generate_series(1, 5000) g;
-- test
CREATE TABLE public.m_2027 PARTITION OF m FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
-- test
CREATE TABLE m_default PARTITION OF m DEFAULT;
-- test
ALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- test
ALTER TABLE m ATTACH PARTITION m_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- test
ALTER TABLE m DETACH PARTITION m_2023;
-- test
ALTER TABLE m DETACH PARTITION m_2023 CONCURRENTLY;
-- test
CREATE INDEX m_v_idx ON m (v);
-- test
CREATE UNIQUE INDEX m_id_created_uidx ON m (id, created);
-- test
ALTER TABLE m ADD PRIMARY KEY (id, created);
-- test
ALTER TABLE m ADD COLUMN x int;
-- test
ALTER TABLE m ADD COLUMN x int DEFAULT 0;
-- test
ALTER TABLE m ADD COLUMN x timestamptz DEFAULT clock_timestamp();
-- test
ALTER TABLE m ADD CONSTRAINT m_v_pos CHECK (v > 0);
-- test
ALTER TABLE m ADD CONSTRAINT m_v_pos CHECK (v > 0) NOT VALID;
-- test
ALTER TABLE m ALTER COLUMN v TYPE bigint;
-- test
ALTER TABLE m ALTER COLUMN v SET NOT NULL;
-- test
ALTER TABLE m ADD CONSTRAINT m_other_fk FOREIGN KEY (id) REFERENCES other (id);
-- test
ALTER TABLE m_2024 ADD CONSTRAINT m_2024_v_pos CHECK (v > 0);
-- test
DROP TABLE m_2023;
-- test
DROP TABLE m;
-- test
TRUNCATE m;
-- test
TRUNCATE m_2023;
-- test
INSERT INTO m VALUES (100000, '2024-06-01', 1);
-- test
UPDATE m SET v = v + 1 WHERE created = '2023-06-01';
-- test
UPDATE m SET v = v + 1;
-- test
DELETE FROM m WHERE created < '2024-01-01';
-- test
VACUUM m;
-- test
ANALYZE m;
-- test
REINDEX TABLE m;
