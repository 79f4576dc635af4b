-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from create_index.sql
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
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, own): drop index "public.orders_email_idx" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from create_index.sql:2
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
               WHERE indexrelid = pg_catalog.to_regclass('public.orders_email_idx') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS public.orders_email_idx;
    END IF;
END
$pgsafe$$pgsafe_1$;
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
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (expand, none): build index "orders_email_idx" on "public.orders" without blocking writes (CONCURRENTLY, outside any transaction)
--   from create_index.sql:2
--   note: the index is named "orders_email_idx", the name PostgreSQL would choose (unless that name is taken)
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY orders_email_idx ON public.orders USING btree (email);
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (expand, own): drop index "public.orders_email_amount" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from create_index.sql:3
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
               WHERE indexrelid = pg_catalog.to_regclass('public.orders_email_amount') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS public.orders_email_amount;
    END IF;
END
$pgsafe$$pgsafe_1$;
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
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, none): build index "orders_email_amount" on "public.orders" without blocking writes (CONCURRENTLY, outside any transaction)
--   from create_index.sql:3
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY orders_email_amount ON public.orders USING btree (email, amount DESC) WHERE amount > 0;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 5 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (expand, own): drop index "public.orders_lower_email" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from create_index.sql:4
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
               WHERE indexrelid = pg_catalog.to_regclass('public.orders_lower_email') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS public.orders_lower_email;
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

-- step 6 (expand, none): build index "orders_lower_email" on "public.orders" without blocking writes (CONCURRENTLY, outside any transaction)
--   from create_index.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY orders_lower_email ON public.orders USING btree (lower(email)) INCLUDE (amount) WITH (fillfactor=70);
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (expand, none): IndexStmt, unchanged
--   from create_index.sql:5
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
\endif

\echo 'pgsafe: plan complete'
