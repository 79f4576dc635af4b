-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- without ONLY the index is built on every partition under SHARE
CREATE INDEX events_kind_idx ON events (kind);
