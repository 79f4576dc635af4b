-- pgsafe-test: --pg-version=10
-- before PostgreSQL 11 every ADD COLUMN with a default rewrites the table
-- (add-column-default-before-pg11); the output records pg_version 10
ALTER TABLE accounts ADD COLUMN flag boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
