-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from detach_partition.sql
--
-- Run with psql 12 or later, in autocommit (the script manages its transactions):
--   psql -X -v ON_ERROR_STOP=1 -f plan.sql
-- The script stops at each deploy checkpoint. Once the application is deployed,
-- run it again with -v checkpoint_N=done, N the checkpoint's step: the steps
-- before checkpoint N are skipped and the script goes on after it.
-- -v pgsafe_continue=1 goes through every checkpoint without stopping (for
-- rehearsals on a copy of the database). When a step fails, fix the cause and
-- run the script again with -v pgsafe_from=N, N the failed step: the steps
-- before it are skipped.
-- 4 steps, 0 checkpoints, 1 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (contract, none): detach "public.regions_us" from "public.regions" without blocking the partitioned table (CONCURRENTLY, outside any transaction)
--   from detach_partition.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 0;
\set ON_ERROR_STOP 0
ALTER TABLE public.regions DETACH PARTITION public.regions_us CONCURRENTLY;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = pg_catalog.to_regclass('public.regions_us') AND inhdetachpending) AS pgsafe_pending \gset
\if :pgsafe_pending
\echo 'pgsafe: step 1 stopped half way: the next step finishes the detach'
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (contract, own): finish the detach of "public.regions_us" (FINALIZE) if it was interrupted; nothing otherwise
--   from detach_partition.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_2$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe_1$DO $pgsafe$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_inherits
               WHERE inhrelid = pg_catalog.to_regclass('public.regions_us') AND inhdetachpending) THEN
        ALTER TABLE public.regions DETACH PARTITION public.regions_us FINALIZE;
    END IF;
END
$pgsafe$$pgsafe_1$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 2: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (contract, own): drop the CHECK "regions_us_code_check" that DETACH ... CONCURRENTLY copied from the old bound, which the plain DETACH does not add
--   from detach_partition.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.regions_us DROP CONSTRAINT IF EXISTS regions_us_code_check$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 3: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, own): detach "public.measurements_high" from "public.measurements"
--   from detach_partition.sql:5
--   NOT ONLINE: PostgreSQL refuses DETACH PARTITION CONCURRENTLY while "public.measurements" has a default partition ("public.measurements_other"); the plain form takes ACCESS EXCLUSIVE on the partitioned table and the default partition, which blocks their reads and writes; needs a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.measurements DETACH PARTITION public.measurements_high$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 4: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif

\echo 'pgsafe: plan complete'
