SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- orders is new here; effects.rewrites stays empty, so no rewrite is claimed either
CREATE TABLE orders (id bigint PRIMARY KEY, code varchar(10), note varchar(100));
ALTER TABLE orders ALTER COLUMN code TYPE varchar(20);
ALTER TABLE orders ALTER COLUMN note TYPE text;
