-- declarative partitioning with a default partition
-- setup
CREATE TABLE public.m (id bigint NOT NULL, created date NOT NULL, v int) PARTITION BY RANGE (created);
CREATE TABLE public.m_2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.m_default PARTITION OF m DEFAULT;
INSERT INTO m SELECT g, '2023-01-01'::date + (g % 730), g FROM generate_series(1, 4000) g;
INSERT INTO m SELECT g, '2030-01-01'::date + (g % 365), g FROM generate_series(1, 2000) g;
CREATE TABLE public.m_2025 (LIKE m INCLUDING DEFAULTS);
INSERT INTO m_2025 SELECT g, '2025-01-01'::date + (g % 365), g FROM generate_series(1, 3000) g;
CREATE TABLE public.m_2026 (LIKE m INCLUDING DEFAULTS,
    CONSTRAINT m_2026_range CHECK (created >= '2026-01-01' AND created < '2027-01-01'));
INSERT INTO m_2026 SELECT g, '2026-01-01'::date + (g % 365), g FROM generate_series(1, 3000) g;
-- test
CREATE TABLE public.m_2027 PARTITION OF m FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
-- test
ALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- test
ALTER TABLE m ATTACH PARTITION m_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- test
ALTER TABLE m DETACH PARTITION m_2023;
-- test
ALTER TABLE m DETACH PARTITION m_default;
-- test
INSERT INTO m VALUES (100000, '2040-01-01', 1);
