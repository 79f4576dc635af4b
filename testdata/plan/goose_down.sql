-- pgsafe-test: --context context/shop.sql
-- +goose Up
ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0);
-- +goose Down
ALTER TABLE orders DROP CONSTRAINT positive;
DROP TABLE orders;
