-- pgsafe-test: earlier_with_unique_index.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- the view has a unique index: the help goes straight to CONCURRENTLY
REFRESH MATERIALIZED VIEW daily_totals;
