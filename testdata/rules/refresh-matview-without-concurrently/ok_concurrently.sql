-- pgsafe-test: earlier_with_unique_index.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;
