-- pgsafe-test: --context context/shop.sql
-- A key column added NOT NULL in the same statement needs no check; an index
-- pgsafe does not know leaves it unable to prove the columns NOT NULL.
ALTER TABLE events DROP COLUMN n, ADD COLUMN n bigint NOT NULL, ADD CONSTRAINT events_pkey PRIMARY KEY (n);
ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_id_idx;
