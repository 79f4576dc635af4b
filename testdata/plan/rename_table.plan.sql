-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from rename_table.sql
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
-- 4 steps, 1 checkpoint, 0 not online.
\set ON_ERROR_STOP 1

\if :{?checkpoint_3}
\echo 'pgsafe: steps 1 to 2: done before checkpoint 3, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): rename "public.customers" to "clients"
--   from rename_table.sql:2

-- step 2 (expand, group-1): keep the old name working for deployed code: a view "public.customers" of "public.clients" (simple views accept INSERT, UPDATE and DELETE)
--   from rename_table.sql:2
-- steps 1 to 2 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.customers RENAME TO clients$pgsafe$;
            EXECUTE $pgsafe$CREATE VIEW public.customers AS SELECT * FROM public.clients$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 1: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (contract, none): checkpoint: deploy application code that uses table "public.clients" instead of "public.customers"
--   from rename_table.sql:2
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 3 passed (pgsafe_continue): deploy application code that uses table "public.clients" instead of "public.customers"'
\elif :{?checkpoint_3}
\else
\echo 'pgsafe: checkpoint 3: deploy application code that uses table "public.clients" instead of "public.customers"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_3=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (contract, own): drop the view "public.customers" that kept the old name
--   from rename_table.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP VIEW public.customers$pgsafe$;
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
