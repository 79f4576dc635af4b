-- pgsafe-test: --pg-version=10
SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- add-column-volatile-default starts at 11; on 10 this rule reports serial too
ALTER TABLE orders ADD COLUMN seq bigserial;
