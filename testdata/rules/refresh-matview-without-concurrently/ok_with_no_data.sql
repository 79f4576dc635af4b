-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- empties the view: nothing is recomputed
REFRESH MATERIALIZED VIEW daily_totals WITH NO DATA;
