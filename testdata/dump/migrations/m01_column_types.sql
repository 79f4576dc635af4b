-- type changes whose cost depends on the column's current type
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(200);
ALTER TABLE accounts ALTER COLUMN code TYPE varchar(8);
ALTER TABLE orders ALTER COLUMN status TYPE text;
ALTER TABLE orders ALTER COLUMN price TYPE numeric(12, 2);
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz;
ALTER TABLE order_items ALTER COLUMN sku TYPE varchar(40);
ALTER TABLE accounts ALTER COLUMN label TYPE varchar(30);
