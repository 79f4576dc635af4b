-- pgsafe-test: --fail-on=hint
-- only a hint (psql meta-command): exit 1 with --fail-on=hint
\timing on
SELECT 1;
