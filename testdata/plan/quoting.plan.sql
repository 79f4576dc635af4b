-- pgsafe 0.1.0: safe plan for PostgreSQL 15 (plan format 1)
--   from quoting.sql
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
-- 29 steps, 2 checkpoints, 0 not online.
\set ON_ERROR_STOP 1

\if :{?checkpoint_14}
\echo 'pgsafe: steps 1 to 13: done before checkpoint 14, skipped'
\elif :{?checkpoint_25}
\echo 'pgsafe: steps 1 to 13: done before checkpoint 25, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 1 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 1 (expand, own): drop index "Mixed Case.idx; DROP TABLE orders; --" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from quoting.sql:2
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
               WHERE indexrelid = pg_catalog.to_regclass('"Mixed Case"."idx; DROP TABLE orders; --"') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS "Mixed Case"."idx; DROP TABLE orders; --";
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

-- step 2 (expand, none): build index "idx; DROP TABLE orders; --" on "Mixed Case.Order Items" without blocking writes (CONCURRENTLY, outside any transaction)
--   from quoting.sql:2
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY "idx; DROP TABLE orders; --" ON "Mixed Case"."Order Items" USING btree ("semi;colon");
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 3 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 3 (expand, own): drop index "Mixed Case.Order Items_quo"te_prix unitaire ü_idx" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from quoting.sql:3
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
               WHERE indexrelid = pg_catalog.to_regclass('"Mixed Case"."Order Items_quo""te_prix unitaire ü_idx"') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS "Mixed Case"."Order Items_quo""te_prix unitaire ü_idx";
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

-- step 4 (expand, none): build index "Order Items_quo"te_prix unitaire ü_idx" on "Mixed Case.Order Items" without blocking writes (CONCURRENTLY, outside any transaction)
--   from quoting.sql:3
--   note: the index is named "Order Items_quo"te_prix unitaire ü_idx", the name PostgreSQL would choose (unless that name is taken)
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY "Order Items_quo""te_prix unitaire ü_idx" ON "Mixed Case"."Order Items" USING btree ("quo""te", "prix unitaire ü");
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 6 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 5 (expand, group-1): add column "Nëw "Col"" to "Mixed Case.Order Items", nullable and without a default: a brief lock, no rewrite
--   from quoting.sql:4

-- step 6 (expand, group-1): give new rows of "Mixed Case.Order Items" the default of "Nëw "Col""
--   from quoting.sql:4
-- steps 5 to 6 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ADD COLUMN "Nëw ""Col""" int$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ALTER COLUMN "Nëw ""Col""" SET DEFAULT CAST(random() * 0 AS int)$pgsafe$;
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
SELECT :'pgsafe_from'::int <= 7 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 7 (backfill, none): fill "Nëw "Col"" of existing rows with its default, in batches
--   from quoting.sql:4
--   note: rows the application inserts with an explicit NULL in "Nëw "Col"" before this step ends are filled too
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last "Mixed Case"."Order Items"."Id"%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT "Id" AS pgsafe_key FROM "Mixed Case"."Order Items" ORDER BY "Id" LIMIT 1000
    ), pgsafe_update AS (
        UPDATE "Mixed Case"."Order Items" SET "Nëw ""Col""" = (CAST(random() * 0 AS int))
        WHERE "Id" IN (SELECT pgsafe_key FROM pgsafe_batch) AND ("Nëw ""Col""" IS NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT "Id" AS pgsafe_key FROM "Mixed Case"."Order Items" WHERE "Id" > pgsafe_last ORDER BY "Id" LIMIT 1000
        ), pgsafe_update AS (
            UPDATE "Mixed Case"."Order Items" SET "Nëw ""Col""" = (CAST(random() * 0 AS int))
            WHERE "Id" IN (SELECT pgsafe_key FROM pgsafe_batch) AND ("Nëw ""Col""" IS NULL)
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 8 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 8 (expand, own): add CHECK (Nëw "Col" IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from quoting.sql:4
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "Order Items_Nëw ""Col""_not_null" CHECK ("Nëw ""Col""" IS NOT NULL) NOT VALID$pgsafe$;
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
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 9 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 9 (validate, own): validate "Order Items_Nëw "Col"_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from quoting.sql:4
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE "Mixed Case"."Order Items" VALIDATE CONSTRAINT "Order Items_Nëw ""Col""_not_null";
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 11 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 10 (validate, group-2): set column "Nëw "Col"" NOT NULL: the validated check proves it, so nothing is read
--   from quoting.sql:4

-- step 11 (contract, group-2): drop the check "Order Items_Nëw "Col"_not_null", now redundant
--   from quoting.sql:4
-- steps 10 to 11 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ALTER COLUMN "Nëw ""Col""" SET NOT NULL$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" DROP CONSTRAINT "Order Items_Nëw ""Col""_not_null"$pgsafe$;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF pgsafe_attempt >= 5 THEN
                RAISE;
            END IF;
            RAISE NOTICE 'pgsafe: step 10: lock not available (attempt % of 5), retrying',
                pgsafe_attempt;
            PERFORM pg_catalog.pg_sleep((ARRAY[1000, 2000, 4000, 8000]::bigint[])[pgsafe_attempt] / 1000.0);
            pgsafe_attempt := pgsafe_attempt + 1;
        END;
    END LOOP;
END
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 12 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 12 (expand, own): add CHECK "check; it" without checking existing rows (NOT VALID): new rows are checked at once
--   from quoting.sql:5
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "check; it" CHECK ("Quantity" >= 0) NOT VALID$pgsafe$;
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
SELECT :'pgsafe_from'::int <= 13 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 13 (validate, own): validate "check; it" in its own transaction: reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from quoting.sql:5
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE "Mixed Case"."Order Items" VALIDATE CONSTRAINT "check; it";
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 14 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 14 (validate, none): checkpoint: deploy application code that writes column "select" of "Mixed Case.Order Items" on every insert and update and never sets it to NULL
--   from quoting.sql:6
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 14 passed (pgsafe_continue): deploy application code that writes column "select" of "Mixed Case.Order Items" on every insert and update and never sets it to NULL'
\elif :{?checkpoint_14}
\elif :{?checkpoint_25}
\else
\echo 'pgsafe: checkpoint 14: deploy application code that writes column "select" of "Mixed Case.Order Items" on every insert and update and never sets it to NULL'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_14=done'
\quit
\endif
\endif

\if :{?checkpoint_25}
\echo 'pgsafe: steps 15 to 24: done before checkpoint 25, skipped'
\else
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 15 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 15 (expand, own): add CHECK (select IS NOT NULL) without checking existing rows (NOT VALID): new rows are checked at once
--   from quoting.sql:6
SET lock_timeout = 2000;
SET statement_timeout = 55000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "Order Items_select_not_null" CHECK ("select" IS NOT NULL) NOT VALID$pgsafe$;
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
$pgsafe_1$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 16 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 16 (validate, own): validate "Order Items_select_not_null": reads the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes
--   from quoting.sql:6
SET lock_timeout = 0;
SET statement_timeout = 0;
ALTER TABLE "Mixed Case"."Order Items" VALIDATE CONSTRAINT "Order Items_select_not_null";
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 18 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 17 (validate, group-3): set column "select" NOT NULL: the validated check proves it, so nothing is read
--   from quoting.sql:6

-- step 18 (contract, group-3): drop the check "Order Items_select_not_null", now redundant
--   from quoting.sql:6
-- steps 17 to 18 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ALTER COLUMN "select" SET NOT NULL$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" DROP CONSTRAINT "Order Items_select_not_null"$pgsafe$;
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
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 21 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 19 (expand, group-4): add the column "Unit Price" ("numeric"(10,2)) beside "prix unitaire ü": nullable, no default, no rewrite
--   from quoting.sql:7

-- step 20 (expand, group-4): the trigger function that keeps "Unit Price" in step with "prix unitaire ü"
--   from quoting.sql:7

-- step 21 (expand, group-4): from now on every write of a row sets "Unit Price" too
--   from quoting.sql:7
-- steps 19 to 21 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_2$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" ADD COLUMN "Unit Price" "numeric"(10,2)$pgsafe$;
            EXECUTE $pgsafe_1$CREATE FUNCTION "Mixed Case"."Order Items_prix unitaire ü_pgsafe_sync"() RETURNS trigger LANGUAGE plpgsql AS $pgsafe$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."Unit Price" IS NULL THEN
            NEW."Unit Price" := NEW."prix unitaire ü";
        ELSE
            NEW."prix unitaire ü" := NEW."Unit Price";
        END IF;
    ELSIF NEW."prix unitaire ü" IS DISTINCT FROM OLD."prix unitaire ü" THEN
        NEW."Unit Price" := NEW."prix unitaire ü";
    ELSIF NEW."Unit Price" IS DISTINCT FROM OLD."Unit Price" THEN
        NEW."prix unitaire ü" := NEW."Unit Price";
    END IF;
    RETURN NEW;
END
$pgsafe$$pgsafe_1$;
            EXECUTE $pgsafe$CREATE TRIGGER "Order Items_prix unitaire ü_pgsafe_sync" BEFORE INSERT OR UPDATE ON "Mixed Case"."Order Items" FOR EACH ROW EXECUTE FUNCTION "Mixed Case"."Order Items_prix unitaire ü_pgsafe_sync"()$pgsafe$;
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
$pgsafe_2$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 22 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 22 (backfill, none): fill "Unit Price" from "prix unitaire ü" for the rows written before the trigger, in batches
--   from quoting.sql:7
SET lock_timeout = 0;
SET statement_timeout = 0;
DO $pgsafe$
DECLARE
    pgsafe_last "Mixed Case"."Order Items"."Id"%TYPE;
BEGIN
    WITH pgsafe_batch AS (
        SELECT "Id" AS pgsafe_key FROM "Mixed Case"."Order Items" ORDER BY "Id" LIMIT 1000
    ), pgsafe_update AS (
        UPDATE "Mixed Case"."Order Items" SET "Unit Price" = ("prix unitaire ü")
        WHERE "Id" IN (SELECT pgsafe_key FROM pgsafe_batch) AND ("Unit Price" IS NULL AND "prix unitaire ü" IS NOT NULL)
    )
    SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    WHILE pgsafe_last IS NOT NULL LOOP
        COMMIT;
        PERFORM pg_catalog.pg_sleep(0.100);
        WITH pgsafe_batch AS (
            SELECT "Id" AS pgsafe_key FROM "Mixed Case"."Order Items" WHERE "Id" > pgsafe_last ORDER BY "Id" LIMIT 1000
        ), pgsafe_update AS (
            UPDATE "Mixed Case"."Order Items" SET "Unit Price" = ("prix unitaire ü")
            WHERE "Id" IN (SELECT pgsafe_key FROM pgsafe_batch) AND ("Unit Price" IS NULL AND "prix unitaire ü" IS NOT NULL)
        )
        SELECT pgsafe_key INTO pgsafe_last FROM pgsafe_batch ORDER BY pgsafe_key DESC LIMIT 1;
    END LOOP;
END
$pgsafe$;
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 23 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 23 (expand, own): drop index "Mixed Case.Order Items_quo"te_prix unitaire ü_idx_pgsafe" if an earlier CREATE INDEX CONCURRENTLY left it INVALID
--   from quoting.sql:7
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
               WHERE indexrelid = pg_catalog.to_regclass('"Mixed Case"."Order Items_quo""te_prix unitaire ü_idx_pgsafe"') AND NOT indisvalid) THEN
        DROP INDEX IF EXISTS "Mixed Case"."Order Items_quo""te_prix unitaire ü_idx_pgsafe";
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

-- step 24 (expand, none): build "Order Items_quo"te_prix unitaire ü_idx_pgsafe", a copy of index "Order Items_quo"te_prix unitaire ü_idx" on "Unit Price", without blocking writes (CONCURRENTLY)
--   from quoting.sql:7
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY "Order Items_quo""te_prix unitaire ü_idx_pgsafe" ON "Mixed Case"."Order Items" USING btree ("quo""te", "Unit Price");
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 25 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 25 (contract, none): checkpoint: deploy application code that reads and writes column "Unit Price" of "Mixed Case.Order Items" instead of "prix unitaire ü"
--   from quoting.sql:7
\if :{?pgsafe_continue}
\echo 'pgsafe: checkpoint 25 passed (pgsafe_continue): deploy application code that reads and writes column "Unit Price" of "Mixed Case.Order Items" instead of "prix unitaire ü"'
\elif :{?checkpoint_25}
\else
\echo 'pgsafe: checkpoint 25: deploy application code that reads and writes column "Unit Price" of "Mixed Case.Order Items" instead of "prix unitaire ü"'
\echo 'pgsafe: when that is deployed, run this script again with -v checkpoint_25=done'
\quit
\endif
\endif
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 28 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 26 (contract, group-5): stop the trigger that kept "prix unitaire ü" and "Unit Price" equal
--   from quoting.sql:7

-- step 27 (contract, group-5): drop its function
--   from quoting.sql:7

-- step 28 (contract, group-5): drop the old column "prix unitaire ü" and its indexes
--   from quoting.sql:7
-- steps 26 to 28 run as one transaction, retried as a whole
SET lock_timeout = 2000;
SET statement_timeout = 85000;
DO $pgsafe_1$
DECLARE
    pgsafe_attempt int := 1;
BEGIN
    LOOP
        BEGIN
            EXECUTE $pgsafe$DROP TRIGGER "Order Items_prix unitaire ü_pgsafe_sync" ON "Mixed Case"."Order Items"$pgsafe$;
            EXECUTE $pgsafe$DROP FUNCTION "Mixed Case"."Order Items_prix unitaire ü_pgsafe_sync"()$pgsafe$;
            EXECUTE $pgsafe$ALTER TABLE "Mixed Case"."Order Items" DROP COLUMN "prix unitaire ü"$pgsafe$;
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
\if :{?pgsafe_from}
SELECT :'pgsafe_from'::int <= 29 AS pgsafe_run \gset
\else
\set pgsafe_run true
\endif
\if :pgsafe_run

-- step 29 (contract, own): the rebuilt index takes the name "Order Items_quo"te_prix unitaire ü_idx" back
--   from quoting.sql:7
SET lock_timeout = 0;
SET statement_timeout = 30000;
ALTER INDEX "Mixed Case"."Order Items_quo""te_prix unitaire ü_idx_pgsafe" RENAME TO "Order Items_quo""te_prix unitaire ü_idx";
\endif

\echo 'pgsafe: plan complete'
