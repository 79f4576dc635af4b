-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from backfills.sql
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
-- 6 steps, 0 checkpoints, 2 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (backfill, none): update the rows of "public.orders" that match in batches, each committed
--   from backfills.sql:4
--   note: the batches are not one atomic change: other sessions see the rows change batch by batch
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET note = (upper(note))
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (note LIKE 'a%')
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET note = (upper(note))
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (note LIKE 'a%')
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (backfill, none): delete the rows of "public.events" that match in batches, each committed
--   from backfills.sql:5
--   note: no single-column primary key or unique NOT NULL column of "public.events" is known, so batches are found by ctid: each one reads the table from its start; give the schema to batch by key
--   note: the batches are not one atomic change: other sessions see the rows change batch by batch
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_n_done bigint;
    pgsafe_n_again bigint;
BEGIN
    LOOP
        WITH pgsafe_update AS (
            DELETE FROM public.events
            WHERE ctid = ANY (ARRAY(SELECT ctid FROM public.events WHERE kind = 'obsolete' LIMIT 1000)) AND (kind = 'obsolete')
            RETURNING (false) AS pgsafe_again
        )
        SELECT count(*), count(*) FILTER (WHERE pgsafe_again) INTO pgsafe_n_done, pgsafe_n_again FROM pgsafe_update;
        IF pgsafe_n_again > 0 THEN
            RAISE EXCEPTION 'pgsafe: backfill of %: % rows still match %',
                'public.events', pgsafe_n_again, 'kind = ''obsolete''';
        END IF;
        EXIT WHEN pgsafe_n_done = 0;
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (backfill, none): update the rows of "public.orders" in batches, each committed
--   from backfills.sql:6
--   note: the batches are not one atomic change: other sessions see the rows change batch by batch
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last public.orders.id%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT id AS pgsafe_key FROM public.orders ORDER BY id LIMIT 1000
    ), pgsafe_update AS (
        UPDATE public.orders SET amount = (amount + 1)
        WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (true)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT id AS pgsafe_key FROM public.orders WHERE id > pgsafe_last ORDER BY id LIMIT 1000
        ), pgsafe_update AS (
            UPDATE public.orders SET amount = (amount + 1)
            WHERE id IN (SELECT pgsafe_key FROM pgsafe_batch) AND (true)
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

-- step 4 (backfill, own): UpdateStmt, unchanged
--   from backfills.sql:7
--   NOT ONLINE: changes every matching row of "public.events" in one transaction, and pgsafe cannot batch it: it has no WHERE and no key of the table is known, so batches cannot tell done rows apart; needs the change written as batches by hand, or a quiet period
SET lock_timeout = 0;
SET statement_timeout = 0;
UPDATE events SET n = n + 1;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 5 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (backfill, own): UpdateStmt, unchanged
--   from backfills.sql:8
SET lock_timeout = 0;
SET statement_timeout = 30000;
UPDATE orders SET note = c.name FROM customers c WHERE c.id = orders.customer_id;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 6 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 6 (backfill, own): UpdateStmt, unchanged
--   from backfills.sql:9
--   NOT ONLINE: changes every matching row of "public.orders" in one transaction, and pgsafe cannot batch it: it changes the key batches would follow; needs the change written as batches by hand, or a quiet period
SET lock_timeout = 0;
SET statement_timeout = 0;
UPDATE orders SET id = id + 1000000;
\endif

\echo 'pgsafe: plan complete'
