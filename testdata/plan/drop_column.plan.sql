-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from drop_column.sql
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
-- 8 steps, 4 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (contract, none): checkpoint: deploy application code that no longer reads or writes column "note" of "public.orders"
--   from drop_column.sql:2
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 1 passed (pgsafe_continue): deploy application code that no longer reads or writes column "note" of "public.orders"'
\elif :{?checkpoint_1}
\elif :{?checkpoint_3}
\elif :{?checkpoint_5}
\elif :{?checkpoint_7}
\else
\echo 'pgsafe: checkpoint 1: deploy application code that no longer reads or writes column "note" of "public.orders"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_1=done'
\quit
\endif
\endif

\if :{?checkpoint_3}
\echo 'pgsafe: steps 2 to 2: done before checkpoint 3, skipped'
\elif :{?checkpoint_5}
\echo 'pgsafe: steps 2 to 2: done before checkpoint 5, skipped'
\elif :{?checkpoint_7}
\echo 'pgsafe: steps 2 to 2: done before checkpoint 7, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (contract, own): drop column "note" of "public.orders" (a brief ACCESS EXCLUSIVE, nothing is read)
--   from drop_column.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.orders DROP note$pgsafe$;
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
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (contract, none): checkpoint: deploy application code that no longer reads or writes column "payload" of "public.events"
--   from drop_column.sql:3
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 3 passed (pgsafe_continue): deploy application code that no longer reads or writes column "payload" of "public.events"'
\elif :{?checkpoint_3}
\elif :{?checkpoint_5}
\elif :{?checkpoint_7}
\else
\echo 'pgsafe: checkpoint 3: deploy application code that no longer reads or writes column "payload" of "public.events"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_3=done'
\quit
\endif
\endif

\if :{?checkpoint_5}
\echo 'pgsafe: steps 4 to 4: done before checkpoint 5, skipped'
\elif :{?checkpoint_7}
\echo 'pgsafe: steps 4 to 4: done before checkpoint 7, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (contract, own): drop column "payload" of "public.events" (a brief ACCESS EXCLUSIVE, nothing is read)
--   from drop_column.sql:3
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events DROP payload$pgsafe$;
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
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 5 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (contract, none): checkpoint: deploy application code that no longer reads or writes column "kind" of "public.events"
--   from drop_column.sql:3
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 5 passed (pgsafe_continue): deploy application code that no longer reads or writes column "kind" of "public.events"'
\elif :{?checkpoint_5}
\elif :{?checkpoint_7}
\else
\echo 'pgsafe: checkpoint 5: deploy application code that no longer reads or writes column "kind" of "public.events"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_5=done'
\quit
\endif
\endif

\if :{?checkpoint_7}
\echo 'pgsafe: steps 6 to 6: done before checkpoint 7, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 6 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 6 (contract, own): drop column "kind" of "public.events" (a brief ACCESS EXCLUSIVE, nothing is read)
--   from drop_column.sql:3
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events DROP kind$pgsafe$;
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
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (contract, none): checkpoint: deploy application code that no longer uses "public.accounts"
--   from drop_column.sql:4
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 7 passed (pgsafe_continue): deploy application code that no longer uses "public.accounts"'
\elif :{?checkpoint_7}
\else
\echo 'pgsafe: checkpoint 7: deploy application code that no longer uses "public.accounts"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_7=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 8 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 8 (contract, own): DropStmt, unchanged
--   from drop_column.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP TABLE accounts$pgsafe$;
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

\echo 'pgsafe: plan complete'
