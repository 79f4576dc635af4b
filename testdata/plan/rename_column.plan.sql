-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from rename_column.sql
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
-- 17 steps, 1 checkpoint, 1 not online.
\set ON_ERROR_STOP 1

\if :{?checkpoint_11}
\echo 'pgsafe: steps 1 to 10: done before checkpoint 11, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): add the column "placed_at" (timestamptz) beside "created_at": nullable, no default, no rewrite
--   from rename_column.sql:2

-- step 2 (expand, group-1): the trigger function that keeps "placed_at" in step with "created_at"
--   from rename_column.sql:2

-- step 3 (expand, group-1): from now on every write of a row sets "placed_at" too
--   from rename_column.sql:2
-- steps 1 to 3 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_2$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD COLUMN placed_at timestamptz$pgsafe$;
            EXECUTE $pgsafe_1$CREATE FUNCTION public.orders_created_at_pgsafe_sync() RETURNS trigger LANGUAGE plpgsql AS $pgsafe$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.placed_at IS NULL THEN
            NEW.placed_at := NEW.created_at;
        ELSE
            NEW.created_at := NEW.placed_at;
        END IF;
    ELSIF NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        NEW.placed_at := NEW.created_at;
    ELSIF NEW.placed_at IS DISTINCT FROM OLD.placed_at THEN
        NEW.created_at := NEW.placed_at;
    END IF;
    RETURN NEW;
END
$pgsafe$$pgsafe_1$;
            EXECUTE $pgsafe$CREATE TRIGGER orders_created_at_pgsafe_sync BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.orders_created_at_pgsafe_sync()$pgsafe$;
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
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (backfill, none): fill "placed_at" from "created_at" for the rows written before the trigger, in batches
--   from rename_column.sql:2
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET placed_at = (created_at)
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (placed_at IS NULL AND created_at IS NOT NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET placed_at = (created_at)
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (placed_at IS NULL AND created_at IS NOT NULL)
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

-- step 5 (expand, own): add CHECK (placed_at IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from rename_column.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_placed_at_not_null CHECK (placed_at IS NOT NULL) NOT VALID$pgsafe$;
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

-- step 6 (validate, own): validate "orders_placed_at_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from rename_column.sql:2
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_placed_at_not_null;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 8 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (validate, group-2): set column "placed_at" NOT NULL: the validated check proves it, so nothing is read
--   from rename_column.sql:2

-- step 8 (contract, group-2): drop the check "orders_placed_at_not_null", now redundant
--   from rename_column.sql:2
-- steps 7 to 8 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN placed_at SET NOT NULL$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP CONSTRAINT orders_placed_at_not_null$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 7: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 9 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 9 (expand, own): drop index "public.orders_created_idx_pgsafe" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from rename_column.sql:2
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
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_index
               WHERE indexrelid = pg_catalog.to_regclass('public.orders_created_idx_pgsafe') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS public.orders_created_idx_pgsafe;
    END IF;
END
$pgsafe$$pgsafe_1$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 9: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 10 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 10 (expand, none): build "orders_created_idx_pgsafe", a copy of index "orders_created_idx" on "placed_at", without blocking writes (CONCURRENTLY)
--   from rename_column.sql:2
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY orders_created_idx_pgsafe ON public.orders USING btree (placed_at);
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 11 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 11 (contract, none): checkpoint: deploy application code that reads and writes column "placed_at" of "public.orders" instead of "created_at"
--   from rename_column.sql:2
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 11 passed (pgsafe_continue): deploy application code that reads and writes column "placed_at" of "public.orders" instead of "created_at"'
\elif :{?checkpoint_11}
\else
\echo 'pgsafe: checkpoint 11: deploy application code that reads and writes column "placed_at" of "public.orders" instead of "created_at"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_11=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 15 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 12 (contract, group-3): stop the trigger that kept "created_at" and "placed_at" equal
--   from rename_column.sql:2

-- step 13 (contract, group-3): drop its function
--   from rename_column.sql:2

-- step 14 (contract, group-3): the default of "created_at", on "placed_at"
--   from rename_column.sql:2

-- step 15 (contract, group-3): drop the old column "created_at" and its indexes
--   from rename_column.sql:2
-- steps 12 to 15 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 115000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP TRIGGER orders_created_at_pgsafe_sync ON public.orders$pgsafe$;
            EXECUTE $pgsafe$DROP FUNCTION public.orders_created_at_pgsafe_sync()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN placed_at SET DEFAULT now()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP COLUMN created_at$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 12: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 16 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 16 (contract, own): the rebuilt index takes the name "orders_created_idx" back
--   from rename_column.sql:2
SET lock_timeout = 0;
SET statement_timeout = 30000;
ALTER INDEX public.orders_created_idx_pgsafe RENAME TO orders_created_idx;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 17 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 17 (expand, own): renaming column "id" of "public.orders" to "order_id"
--   from rename_column.sql:3
--   NOT ONLINE: renaming column "id" of "public.orders" to "order_id" takes ACCESS EXCLUSIVE and rewrites or breaks what deployed code reads, and pgsafe cannot plan the expand/contract here: constraint "orders_pkey" uses the column; needs an expand/contract written by hand, or a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE orders RENAME COLUMN id TO order_id$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 17: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif

\echo 'pgsafe: plan complete'
