-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from pass_through.sql
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
-- 9 steps, 0 checkpoints, 0 not online.
\set ON_ERROR_STOP 1
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, own): CreateStmt, unchanged
--   from pass_through.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL);
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 2 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 2 (expand, own): IndexStmt, unchanged
--   from pass_through.sql:5
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX audit_what_idx ON audit (what);
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (expand, own): AlterTableStmt, unchanged
--   from pass_through.sql:6
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE audit ADD COLUMN at timestamptz DEFAULT clock_timestamp() NOT NULL;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 4 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 4 (expand, own): AlterTableStmt, unchanged
--   from pass_through.sql:7
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE orders ADD COLUMN flagged boolean NOT NULL DEFAULT false$pgsafe$;
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

-- step 5 (expand, own): AlterTableStmt, unchanged
--   from pass_through.sql:8
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none'$pgsafe$;
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

-- step 6 (expand, own): CommentStmt, unchanged
--   from pass_through.sql:9
SET lock_timeout = 0;
SET statement_timeout = 30000;
COMMENT ON TABLE orders IS 'orders';
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (backfill, own): InsertStmt, unchanged
--   from pass_through.sql:10
SET lock_timeout = 0;
SET statement_timeout = 0;
INSERT INTO audit (what) VALUES ('plan');
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 8 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 8 (backfill, own): UpdateStmt, unchanged
--   from pass_through.sql:11
SET lock_timeout = 0;
SET statement_timeout = 30000;
UPDATE orders SET note = 'x' WHERE id = 42;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 9 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 9 (expand, own): VariableSetStmt, unchanged
--   from pass_through.sql:12
SET lock_timeout = 0;
SET statement_timeout = 0;
SET search_path = public;
\endif

\echo 'pgsafe: plan complete'
