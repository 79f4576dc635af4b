-- pgsafe-test: --context context/shop.sql
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE events DROP COLUMN payload, DROP COLUMN kind;
DROP TABLE accounts;
