-- pgsafe-test: --context context/shop.sql
VACUUM FULL events;
ALTER TABLE events SET UNLOGGED;
ALTER TABLE events SET TABLESPACE archive;
ALTER TABLE events SET ACCESS METHOD heap2;
CLUSTER orders USING orders_pkey;
ALTER TABLE accounts ADD CONSTRAINT accounts_no_overlap EXCLUDE USING btree (id WITH =);
