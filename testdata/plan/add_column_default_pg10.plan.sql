-- pgsafe 0.1.0: safe plan for PostgreSQL 10 (plan format 1)
--   from add_column_default_pg10.sql
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
-- 5 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): add column "status" to "public.orders", nullable and without a default: a brief lock, no rewrite
--   from add_column_default_pg10.sql:5

-- step 2 (expand, group-1): give new rows of "public.orders" the default of "status"
--   from add_column_default_pg10.sql:5
-- steps 1 to 2 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD COLUMN status text$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'new'$pgsafe$;
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
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (backfill, own): fill "status" of existing rows with its default, in batches
--   from add_column_default_pg10.sql:5
--   note: before PostgreSQL 11 a DO block cannot COMMIT: the SQL is one batch, to repeat in its own transaction until the end condition holds
--   note: a default that is not constant (now(), ...) is evaluated per batch, not once for the whole table
--   note: rows the application inserts with an explicit NULL in "status" before this step ends are filled too
SET lock_timeout = 0;
SET statement_timeout = 0;
-- before PostgreSQL 11 a DO block cannot COMMIT: \gexec runs each batch on its own
SELECT format('UPDATE public.orders SET status = (''new'') WHERE id >= %L AND id <= %L AND (status IS NULL)', lo, hi), 'SELECT pg_catalog.pg_sleep(100 / 1000.0)'
FROM (SELECT min(k) AS lo, max(k) AS hi
      FROM (SELECT id AS k, (row_number() OVER (ORDER BY id) - 1) / 1000 AS b FROM public.orders) AS keys
      GROUP BY b) AS batches
ORDER BY lo \gexec
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, own): add CHECK (status IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from add_column_default_pg10.sql:5
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_status_not_null CHECK (status IS NOT NULL) NOT VALID$pgsafe$;
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

-- step 5 (validate, own): validate "orders_status_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from add_column_default_pg10.sql:5
--   note: before PostgreSQL 12 SET NOT NULL reads the whole table under ACCESS EXCLUSIVE even with a validated check: the plan keeps CHECK "orders_status_not_null" as the enforcement, and column "status" stays nullable in the catalog
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_status_not_null;
\endif

\echo 'pgsafe: plan complete'
