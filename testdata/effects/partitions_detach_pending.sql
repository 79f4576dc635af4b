-- DETACH ... FINALIZE: the setup leaves m_2023 in the detach-pending state by
-- letting a DETACH CONCURRENTLY time out while a prepared transaction still
-- holds a lock on the parent
-- setup
CREATE TABLE public.m (id bigint NOT NULL, created date NOT NULL, v int) PARTITION BY RANGE (created);
CREATE TABLE public.m_2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO m SELECT g, '2023-01-01'::date + (g % 730), g FROM generate_series(1, 4000) g;
BEGIN;
LOCK TABLE m IN ACCESS SHARE MODE;
PREPARE TRANSACTION 'pgsafe_fx_detach_pending';
SET statement_timeout = '1s';
-- expect-error
ALTER TABLE m DETACH PARTITION m_2023 CONCURRENTLY;
RESET statement_timeout;
ROLLBACK PREPARED 'pgsafe_fx_detach_pending';
-- test
ALTER TABLE m DETACH PARTITION m_2023 FINALIZE;
-- test
INSERT INTO m VALUES (100000, '2024-06-01', 1);
