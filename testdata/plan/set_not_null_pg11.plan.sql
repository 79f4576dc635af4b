-- pgsafe 0.1.0: safe plan for PostgreSQL 11 (plan format 1)
--   from set_not_null_pg11.sql
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
-- 3 steps, 1 checkpoint, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (validate, none): checkpoint: deploy application code that writes column "email" of "public.orders" on every insert and update and never sets it to NULL
--   from set_not_null_pg11.sql:2
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 1 passed (pgsafe_continue): deploy application code that writes column "email" of "public.orders" on every insert and update and never sets it to NULL'
\elif :{?checkpoint_1}
\else
\echo 'pgsafe: checkpoint 1: deploy application code that writes column "email" of "public.orders" on every insert and update and never sets it to NULL'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_1=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (expand, own): add CHECK (email IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from set_not_null_pg11.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_email_not_null CHECK (email IS NOT NULL) NOT VALID$pgsafe$;
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

-- step 3 (validate, own): validate "orders_email_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from set_not_null_pg11.sql:2
--   note: before PostgreSQL 12 SET NOT NULL reads the whole table under ACCESS EXCLUSIVE even with a validated check: the plan keeps CHECK "orders_email_not_null" as the enforcement, and column "email" stays nullable in the catalog
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_email_not_null;
\endif

\echo 'pgsafe: plan complete'
