-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from add_column_volatile_default.sql
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
-- 7 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): add column "public_id" to "public.orders", nullable and without a default: a brief lock, no rewrite
--   from add_column_volatile_default.sql:5

-- step 2 (expand, group-1): give new rows of "public.orders" the default of "public_id"
--   from add_column_volatile_default.sql:5
-- steps 1 to 2 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD COLUMN public_id uuid$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid()$pgsafe$;
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

-- step 3 (backfill, none): fill "public_id" of existing rows with its default, in batches
--   from add_column_volatile_default.sql:5
--   note: rows the application inserts with an explicit NULL in "public_id" before this step ends are filled too
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET public_id = (gen_random_uuid())
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (public_id IS NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET public_id = (gen_random_uuid())
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (public_id IS NULL)
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, own): add CHECK (public_id IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from add_column_volatile_default.sql:5
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_public_id_not_null CHECK (public_id IS NOT NULL) NOT VALID$pgsafe$;
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

-- step 5 (validate, own): validate "orders_public_id_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from add_column_volatile_default.sql:5
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_public_id_not_null;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 6 (validate, group-2): set column "public_id" NOT NULL: the validated check proves it, so nothing is read
--   from add_column_volatile_default.sql:5

-- step 7 (contract, group-2): drop the check "orders_public_id_not_null", now redundant
--   from add_column_volatile_default.sql:5
-- steps 6 to 7 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN public_id SET NOT NULL$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP CONSTRAINT orders_public_id_not_null$pgsafe$;
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
