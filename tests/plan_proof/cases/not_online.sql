-- proof: not-online
-- No online form: kept as they are, marked not online with what they need.
VACUUM FULL events;
ALTER TABLE events SET UNLOGGED;
ALTER TABLE accounts ADD CONSTRAINT accounts_no_overlap EXCLUDE USING btree (id WITH =);
CLUSTER orders USING orders_pkey;
