-- pgsafe-test: --context context/shop.sql
-- A syntax error and a psql meta-command cannot be planned: reported.
ALTER TABLE orders ADD COLUMN ok int;
ALTER TABLE orders ADD COLUMN bad int DEFAULT;
\echo done
