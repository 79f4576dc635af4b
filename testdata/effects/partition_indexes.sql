-- indexes on partitioned tables: ON ONLY and ALTER INDEX ... ATTACH PARTITION
-- setup
CREATE TABLE public.m (id bigint NOT NULL, created date NOT NULL, v int, w int) PARTITION BY RANGE (created);
CREATE TABLE public.m_2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO m SELECT g, '2023-01-01'::date + (g % 730), g, g FROM generate_series(1, 4000) g;
CREATE INDEX m_v_idx ON ONLY m (v);
CREATE INDEX m_2023_v_idx ON m_2023 (v);
CREATE INDEX m_w_idx ON m (w);
-- test
CREATE INDEX m_id_idx ON ONLY m (id);
-- test
CREATE INDEX m_2024_id_idx ON m_2024 (id);
-- test
CREATE INDEX CONCURRENTLY m_2024_id_idx ON m_2024 (id);
-- test
ALTER INDEX m_v_idx ATTACH PARTITION m_2023_v_idx;
-- test
DROP INDEX m_w_idx;
-- test
REINDEX INDEX m_w_idx;
-- test
ALTER INDEX m_w_idx RENAME TO m_w_index;
