-- pgsafe-test: --pg-version=11
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- before PostgreSQL 12 the help cannot offer a scan-free NOT NULL
ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY (id);
