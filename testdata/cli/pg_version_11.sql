-- pgsafe-test: --pg-version=11
-- from PostgreSQL 11 a constant default is stored in the catalog: only the
-- volatile default rewrites
ALTER TABLE accounts ADD COLUMN flag boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
