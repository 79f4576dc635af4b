-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE MATERIALIZED VIEW weekly_totals AS SELECT date_trunc('week', day) AS week, sum(total) AS total FROM orders GROUP BY 1 WITH NO DATA;
REFRESH MATERIALIZED VIEW weekly_totals;
