-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from drop_index_and_reindex.sql
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
-- 4 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (contract, none): drop index "public.orders_created_idx" without blocking reads or writes (CONCURRENTLY)
--   from drop_index_and_reindex.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 0;
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.orders_created_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 1 of 5), retrying'
SELECT pg_catalog.pg_sleep(1000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.orders_created_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 2 of 5), retrying'
SELECT pg_catalog.pg_sleep(2000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.orders_created_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 3 of 5), retrying'
SELECT pg_catalog.pg_sleep(4000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.orders_created_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 1: lock not available (attempt 4 of 5), retrying'
SELECT pg_catalog.pg_sleep(8000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 1
DROP INDEX CONCURRENTLY public.orders_created_idx;
\set ON_ERROR_STOP 1
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 1 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 1 failed''; END';
\endif
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (contract, none): drop index "public.events_n_idx" without blocking reads or writes (CONCURRENTLY)
--   from drop_index_and_reindex.sql:2
SET lock_timeout = 2000;
SET statement_timeout = 0;
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.events_n_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 2: lock not available (attempt 1 of 5), retrying'
SELECT pg_catalog.pg_sleep(1000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.events_n_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 2: lock not available (attempt 2 of 5), retrying'
SELECT pg_catalog.pg_sleep(2000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.events_n_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 2: lock not available (attempt 3 of 5), retrying'
SELECT pg_catalog.pg_sleep(4000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 0
DROP INDEX CONCURRENTLY public.events_n_idx;
\set ON_ERROR_STOP 1
\if :ERROR
SELECT :'LAST_ERROR_SQLSTATE' = '55P03' AS pgsafe_lock_timeout \gset
\if :pgsafe_lock_timeout
\echo 'pgsafe: step 2: lock not available (attempt 4 of 5), retrying'
SELECT pg_catalog.pg_sleep(8000 / 1000.0) \gset pgsafe_
\set ON_ERROR_STOP 1
DROP INDEX CONCURRENTLY public.events_n_idx;
\set ON_ERROR_STOP 1
\else
\echo 'pgsafe: step 2 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 2 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 2 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 2 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 2 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 2 failed''; END';
\endif
\endif
\else
\echo 'pgsafe: step 2 failed with SQLSTATE' :'LAST_ERROR_SQLSTATE'
DO 'BEGIN RAISE EXCEPTION ''pgsafe: step 2 failed''; END';
\endif
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (expand, none): rebuild index "public.orders_pkey" without blocking writes (CONCURRENTLY, outside any transaction)
--   from drop_index_and_reindex.sql:3
SET lock_timeout = 0;
SET statement_timeout = 0;
REINDEX (CONCURRENTLY) INDEX public.orders_pkey;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, none): rebuild the indexes of "public.customers" without blocking writes (CONCURRENTLY, outside any transaction)
--   from drop_index_and_reindex.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
REINDEX (VERBOSE, CONCURRENTLY) TABLE public.customers;
\endif

\echo 'pgsafe: plan complete'
