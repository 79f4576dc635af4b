-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from change_column_type.sql
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
-- 37 steps, 4 checkpoints, 1 not online.
\set ON_ERROR_STOP 1

\if :{?checkpoint_7}
\echo 'pgsafe: steps 1 to 6: done before checkpoint 7, skipped'
\elif :{?checkpoint_12}
\echo 'pgsafe: steps 1 to 6: done before checkpoint 12, skipped'
\elif :{?checkpoint_25}
\echo 'pgsafe: steps 1 to 6: done before checkpoint 25, skipped'
\elif :{?checkpoint_33}
\echo 'pgsafe: steps 1 to 6: done before checkpoint 33, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): add the column "n_pgsafe_new" (bigint) beside "n": nullable, no default, no rewrite
--   from change_column_type.sql:3

-- step 2 (expand, group-1): the trigger function that keeps "n_pgsafe_new" in step with "n"
--   from change_column_type.sql:3

-- step 3 (expand, group-1): from now on every write of a row sets "n_pgsafe_new" too
--   from change_column_type.sql:3
-- steps 1 to 3 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_2$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events ADD COLUMN n_pgsafe_new bigint$pgsafe$;
            EXECUTE $pgsafe_1$CREATE FUNCTION public.events_n_pgsafe_sync() RETURNS trigger LANGUAGE plpgsql AS $pgsafe$
BEGIN
    NEW.n_pgsafe_new := NEW.n;
    RETURN NEW;
END
$pgsafe$$pgsafe_1$;
            EXECUTE $pgsafe$CREATE TRIGGER events_n_pgsafe_sync BEFORE INSERT OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.events_n_pgsafe_sync()$pgsafe$;
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

-- step 4 (backfill, none): fill "n_pgsafe_new" from "n" for the rows written before the trigger, in batches
--   from change_column_type.sql:3
--   note: no single-column primary key or unique NOT NULL column of "public.events" is known, so batches are found by ctid: each one reads the table from its start; give the schema to batch by key
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_n_done bigint;
    pgsafe_n_again bigint;
BEGIN
    LOOP
        WITH pgsafe_update AS (
            UPDATE public.events SET n_pgsafe_new = (n)
            WHERE ctid = ANY (ARRAY(SELECT ctid FROM public.events WHERE n_pgsafe_new IS NULL AND n IS NOT NULL LIMIT 1000)) AND (n_pgsafe_new IS NULL AND n IS NOT NULL)
            RETURNING (n_pgsafe_new IS NULL AND n IS NOT NULL) AS pgsafe_again
        )
        SELECT count(*), count(*) FILTER (WHERE pgsafe_again) INTO pgsafe_n_done, pgsafe_n_again FROM pgsafe_update;
        IF pgsafe_n_again > 0 THEN
            RAISE EXCEPTION 'pgsafe: backfill of %: % rows still match %',
                'public.events', pgsafe_n_again, 'n_pgsafe_new IS NULL AND n IS NOT NULL';
        END IF;
        EXIT WHEN pgsafe_n_done = 0;
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
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

-- step 5 (expand, own): drop index "public.events_n_idx_pgsafe" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from change_column_type.sql:3
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
               WHERE indexrelid = pg_catalog.to_regclass('public.events_n_idx_pgsafe') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS public.events_n_idx_pgsafe;
    END IF;
END
$pgsafe$$pgsafe_1$;
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
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 6 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 6 (expand, none): build "events_n_idx_pgsafe", a copy of index "events_n_idx" on "n_pgsafe_new", without blocking writes (CONCURRENTLY)
--   from change_column_type.sql:3
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY events_n_idx_pgsafe ON public.events USING btree (n_pgsafe_new);
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (contract, none): checkpoint: deploy application code that works with column "n" of "public.events" as bigint
--   from change_column_type.sql:3
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 7 passed (pgsafe_continue): deploy application code that works with column "n" of "public.events" as bigint'
\elif :{?checkpoint_7}
\elif :{?checkpoint_12}
\elif :{?checkpoint_25}
\elif :{?checkpoint_33}
\else
\echo 'pgsafe: checkpoint 7: deploy application code that works with column "n" of "public.events" as bigint'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_7=done'
\quit
\endif
\endif

\if :{?checkpoint_12}
\echo 'pgsafe: steps 8 to 11: done before checkpoint 12, skipped'
\elif :{?checkpoint_25}
\echo 'pgsafe: steps 8 to 11: done before checkpoint 25, skipped'
\elif :{?checkpoint_33}
\echo 'pgsafe: steps 8 to 11: done before checkpoint 33, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 11 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 8 (contract, group-2): stop the trigger that filled "n_pgsafe_new"
--   from change_column_type.sql:3

-- step 9 (contract, group-2): drop its function
--   from change_column_type.sql:3

-- step 10 (contract, group-2): keep the old column as "n_pgsafe_old"
--   from change_column_type.sql:3

-- step 11 (contract, group-2): the new column takes the name "n"
--   from change_column_type.sql:3
-- steps 8 to 11 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 115000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP TRIGGER events_n_pgsafe_sync ON public.events$pgsafe$;
            EXECUTE $pgsafe$DROP FUNCTION public.events_n_pgsafe_sync()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.events RENAME COLUMN n TO n_pgsafe_old$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.events RENAME COLUMN n_pgsafe_new TO n$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 8: lock not available (attempt % of 5), retrying',
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
SELECT :'pgsafe_from'::int <= 12 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 12 (contract, none): checkpoint: check that the application works with the new "n": the old values stay in "n_pgsafe_old" until the next step drops it
--   from change_column_type.sql:3
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 12 passed (pgsafe_continue): check that the application works with the new "n": the old values stay in "n_pgsafe_old" until the next step drops it'
\elif :{?checkpoint_12}
\elif :{?checkpoint_25}
\elif :{?checkpoint_33}
\else
\echo 'pgsafe: checkpoint 12: check that the application works with the new "n": the old values stay in "n_pgsafe_old" until the next step drops it'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_12=done'
\quit
\endif
\endif

\if :{?checkpoint_25}
\echo 'pgsafe: steps 13 to 24: done before checkpoint 25, skipped'
\elif :{?checkpoint_33}
\echo 'pgsafe: steps 13 to 24: done before checkpoint 33, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 13 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 13 (contract, own): drop the old column "n_pgsafe_old" and its indexes
--   from change_column_type.sql:3
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events DROP COLUMN n_pgsafe_old$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 13: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 14 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 14 (contract, own): the rebuilt index takes the name "events_n_idx" back
--   from change_column_type.sql:3
SET lock_timeout = 0;
SET statement_timeout = 30000;
ALTER INDEX public.events_n_idx_pgsafe RENAME TO events_n_idx;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 17 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 15 (expand, group-3): add the column "created_at_pgsafe_new" (timestamp) beside "created_at": nullable, no default, no rewrite
--   from change_column_type.sql:4

-- step 16 (expand, group-3): the trigger function that keeps "created_at_pgsafe_new" in step with "created_at"
--   from change_column_type.sql:4

-- step 17 (expand, group-3): from now on every write of a row sets "created_at_pgsafe_new" too
--   from change_column_type.sql:4
-- steps 15 to 17 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_2$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD COLUMN created_at_pgsafe_new timestamp$pgsafe$;
            EXECUTE $pgsafe_1$CREATE FUNCTION public.orders_created_at_pgsafe_sync() RETURNS trigger LANGUAGE plpgsql AS $pgsafe$
BEGIN
    NEW.created_at_pgsafe_new := new.created_at AT TIME ZONE 'UTC';
    RETURN NEW;
END
$pgsafe$$pgsafe_1$;
            EXECUTE $pgsafe$CREATE TRIGGER orders_created_at_pgsafe_sync BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.orders_created_at_pgsafe_sync()$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 15: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 18 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 18 (backfill, none): fill "created_at_pgsafe_new" from "created_at" for the rows written before the trigger, in batches
--   from change_column_type.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET created_at_pgsafe_new = (created_at AT TIME ZONE 'UTC')
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (created_at_pgsafe_new IS NULL AND created_at IS NOT NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET created_at_pgsafe_new = (created_at AT TIME ZONE 'UTC')
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (created_at_pgsafe_new IS NULL AND created_at IS NOT NULL)
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 19 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 19 (expand, own): add CHECK (created_at_pgsafe_new IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from change_column_type.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ADD CONSTRAINT orders_created_at_pgsafe_new_not_null CHECK (created_at_pgsafe_new IS NOT NULL) NOT VALID$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 19: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 20 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 20 (validate, own): validate "orders_created_at_pgsafe_new_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from change_column_type.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_created_at_pgsafe_new_not_null;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 22 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 21 (validate, group-4): set column "created_at_pgsafe_new" NOT NULL: the validated check proves it, so nothing is read
--   from change_column_type.sql:4

-- step 22 (contract, group-4): drop the check "orders_created_at_pgsafe_new_not_null", now redundant
--   from change_column_type.sql:4
-- steps 21 to 22 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN created_at_pgsafe_new SET NOT NULL$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP CONSTRAINT orders_created_at_pgsafe_new_not_null$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 21: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 23 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 23 (expand, own): drop index "public.orders_created_idx_pgsafe" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from change_column_type.sql:4
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
            RAISE NOTICE 'pgsafe: step 23: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 24 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 24 (expand, none): build "orders_created_idx_pgsafe", a copy of index "orders_created_idx" on "created_at_pgsafe_new", without blocking writes (CONCURRENTLY)
--   from change_column_type.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY orders_created_idx_pgsafe ON public.orders USING btree (created_at_pgsafe_new);
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 25 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 25 (contract, none): checkpoint: deploy application code that works with column "created_at" of "public.orders" as timestamp
--   from change_column_type.sql:4
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 25 passed (pgsafe_continue): deploy application code that works with column "created_at" of "public.orders" as timestamp'
\elif :{?checkpoint_25}
\elif :{?checkpoint_33}
\else
\echo 'pgsafe: checkpoint 25: deploy application code that works with column "created_at" of "public.orders" as timestamp'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_25=done'
\quit
\endif
\endif

\if :{?checkpoint_33}
\echo 'pgsafe: steps 26 to 32: done before checkpoint 33, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 32 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 26 (contract, group-5): stop the trigger that filled "created_at_pgsafe_new"
--   from change_column_type.sql:4

-- step 27 (contract, group-5): drop its function
--   from change_column_type.sql:4

-- step 28 (contract, group-5): keep the old column as "created_at_pgsafe_old"
--   from change_column_type.sql:4

-- step 29 (contract, group-5): the new column takes the name "created_at"
--   from change_column_type.sql:4

-- step 30 (contract, group-5): the old column no longer needs its default
--   from change_column_type.sql:4

-- step 31 (contract, group-5): the default of "created_at", on the new column
--   from change_column_type.sql:4

-- step 32 (contract, group-5): nothing writes "created_at_pgsafe_old" any more
--   from change_column_type.sql:4
-- steps 26 to 32 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 205000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP TRIGGER orders_created_at_pgsafe_sync ON public.orders$pgsafe$;
            EXECUTE $pgsafe$DROP FUNCTION public.orders_created_at_pgsafe_sync()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders RENAME COLUMN created_at TO created_at_pgsafe_old$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders RENAME COLUMN created_at_pgsafe_new TO created_at$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN created_at_pgsafe_old DROP DEFAULT$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN created_at SET DEFAULT now()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.orders ALTER COLUMN created_at_pgsafe_old DROP NOT NULL$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 26: lock not available (attempt % of 5), retrying',
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
SELECT :'pgsafe_from'::int <= 33 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 33 (contract, none): checkpoint: check that the application works with the new "created_at": the old values stay in "created_at_pgsafe_old" until the next step drops it
--   from change_column_type.sql:4
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 33 passed (pgsafe_continue): check that the application works with the new "created_at": the old values stay in "created_at_pgsafe_old" until the next step drops it'
\elif :{?checkpoint_33}
\else
\echo 'pgsafe: checkpoint 33: check that the application works with the new "created_at": the old values stay in "created_at_pgsafe_old" until the next step drops it'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_33=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 34 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 34 (contract, own): drop the old column "created_at_pgsafe_old" and its indexes
--   from change_column_type.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP COLUMN created_at_pgsafe_old$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 34: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 35 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 35 (contract, own): the rebuilt index takes the name "orders_created_idx" back
--   from change_column_type.sql:4
SET lock_timeout = 0;
SET statement_timeout = 30000;
ALTER INDEX public.orders_created_idx_pgsafe RENAME TO orders_created_idx;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 36 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 36 (expand, own): changing the type of column "id" of "public.invoices"
--   from change_column_type.sql:6
--   NOT ONLINE: changing the type of column "id" of "public.invoices" takes ACCESS EXCLUSIVE and rewrites or breaks what deployed code reads, and pgsafe cannot plan the expand/contract here: constraint "invoices_pkey" uses the column; needs an expand/contract written by hand, or a maintenance window
SET lock_timeout = 2000;
SET statement_timeout = 0;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.invoices ALTER COLUMN id TYPE bigint$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 36: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 37 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 37 (expand, own): AlterTableStmt, unchanged
--   from change_column_type.sql:8
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE orders ALTER COLUMN email TYPE varchar$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 37: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif

\echo 'pgsafe: plan complete'
