-- pgsafe 0.1.0: safe plan for PostgreSQL 11 (plan format 1)
--   from add_column_default_pg11.sql
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
-- 6 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, own): AlterTableStmt, unchanged
--   from add_column_default_pg11.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'$pgsafe$;
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

-- step 2 (expand, group-1): add column "token" to "public.orders", nullable and without a default: a brief lock, no rewrite
--   from add_column_default_pg11.sql:5

-- step 3 (expand, group-1): give new rows of "public.orders" the default of "token"
--   from add_column_default_pg11.sql:5
-- steps 2 to 3 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD COLUMN token text$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN token SET DEFAULT md5(random()::text)$pgsafe$;
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
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (backfill, none): fill "token" of existing rows with its default, in batches
--   from add_column_default_pg11.sql:5
--   note: rows the application inserts with an explicit NULL in "token" before this step ends are filled too
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET token = (md5(random()::text))
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (token IS NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET token = (md5(random()::text))
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (token IS NULL)
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 5 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (expand, own): add CHECK (token IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from add_column_default_pg11.sql:5
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_token_not_null CHECK (token IS NOT NULL) NOT VALID$pgsafe$;
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

-- step 6 (validate, own): validate "orders_token_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from add_column_default_pg11.sql:5
--   note: before PostgreSQL 12 SET NOT NULL reads the whole table under ACCESS EXCLUSIVE even with a validated check: the plan keeps CHECK "orders_token_not_null" as the enforcement, and column "token" stays nullable in the catalog
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_token_not_null;
\endif

\echo 'pgsafe: plan complete'
