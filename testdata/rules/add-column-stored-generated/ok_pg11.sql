-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- below the rule's range: PostgreSQL 11 has no generated columns at all
ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
