-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from not_online.sql
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
-- 6 steps, 0 checkpoints, 6 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, none): VacuumStmt, unchanged
--   from not_online.sql:2
--   NOT ONLINE: rewrites table "public.events" (VACUUM FULL) while holding ACCESS EXCLUSIVE on "public.events", which blocks reads and writes; needs pg_repack, or a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
\set ON_ERROR_STOP 0
VACUUM FULL events;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 1 of 5), retrying'
SELECT pg_catalog.pg_sleep(1000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
VACUUM FULL events;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 2 of 5), retrying'
SELECT pg_catalog.pg_sleep(2000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
VACUUM FULL events;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 3 of 5), retrying'
SELECT pg_catalog.pg_sleep(4000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
VACUUM FULL events;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 4 of 5), retrying'
SELECT pg_catalog.pg_sleep(8000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 1
VACUUM FULL events;
\set ON_ERROR_STOP 1
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
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

-- step 2 (expand, own): SET LOGGED / UNLOGGED rewrites the whole table of "public.events"
--   from not_online.sql:3
--   NOT ONLINE: SET LOGGED / UNLOGGED rewrites the whole table under ACCESS EXCLUSIVE, which blocks reads and writes; PostgreSQL has no online form; needs a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events SET UNLOGGED$pgsafe$;
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
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (expand, own): SET TABLESPACE copies the whole table and its files of "public.events"
--   from not_online.sql:4
--   NOT ONLINE: SET TABLESPACE copies the whole table and its files under ACCESS EXCLUSIVE, which blocks reads and writes; PostgreSQL has no online form; needs pg_repack --tablespace, or a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events SET TABLESPACE archive$pgsafe$;
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

-- step 4 (expand, own): SET ACCESS METHOD rewrites the whole table of "public.events"
--   from not_online.sql:5
--   NOT ONLINE: SET ACCESS METHOD rewrites the whole table under ACCESS EXCLUSIVE, which blocks reads and writes; PostgreSQL has no online form; needs a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events SET ACCESS METHOD heap2$pgsafe$;
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
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 5 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (expand, own): ClusterStmt, unchanged
--   from not_online.sql:6
--   NOT ONLINE: rewrites table "public.orders" (CLUSTER) while holding ACCESS EXCLUSIVE on "public.orders", which blocks reads and writes; needs pg_repack, or a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$CLUSTER orders USING orders_pkey$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 5: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 6 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 6 (expand, own): add an EXCLUDE constraint to "public.accounts"
--   from not_online.sql:7
--   NOT ONLINE: an EXCLUDE constraint builds its index while holding ACCESS EXCLUSIVE, which blocks reads and writes; PostgreSQL can neither build it CONCURRENTLY nor make it from an existing index; needs a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.accounts ADD CONSTRAINT accounts_no_overlap EXCLUDE (id WITH =)$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 6: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif

\echo 'pgsafe: plan complete'
