-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from add_column_no_key.sql
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
-- 3 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, group-1): add column "seen_at" to "public.events", nullable and without a default: a brief lock, no rewrite
--   from add_column_no_key.sql:4

-- step 2 (expand, group-1): give new rows of "public.events" the default of "seen_at"
--   from add_column_no_key.sql:4
-- steps 1 to 2 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE public.events ADD COLUMN seen_at timestamptz$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE public.events ALTER COLUMN seen_at SET DEFAULT clock_timestamp()$pgsafe$;
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

-- step 3 (backfill, none): fill "seen_at" of existing rows with its default, in batches
--   from add_column_no_key.sql:4
--   note: no single-column primary key or unique NOT NULL column of "public.events" is known, so batches are found by ctid: each one reads the table from its start; give the schema to batch by key
--   note: rows the application inserts with an explicit NULL in "seen_at" before this step ends are filled too
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_n_done bigint;
    pgsafe_n_again bigint;
BEGIN
    LOOP
        WITH pgsafe_update AS (
            UPDATE public.events SET seen_at = (clock_timestamp())
            WHERE ctid = ANY (ARRAY(SELECT ctid FROM public.events WHERE seen_at IS NULL LIMIT 1000)) AND (seen_at IS NULL)
            RETURNING (seen_at IS NULL) AS pgsafe_again
        )
        SELECT count(*), count(*) FILTER (WHERE pgsafe_again) INTO pgsafe_n_done, pgsafe_n_again FROM pgsafe_update;
        IF pgsafe_n_again > 0 THEN
            RAISE EXCEPTION 'pgsafe: backfill of %: % rows still match %',
                'public.events', pgsafe_n_again, 'seen_at IS NULL';
        END IF;
        EXIT WHEN pgsafe_n_done = 0;
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
    END LOOP;
END
$pgsafe$;
\endif

\echo 'pgsafe: plan complete'
