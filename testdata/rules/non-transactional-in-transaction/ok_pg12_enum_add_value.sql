-- pgsafe-test: --pg-version=12
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;
