SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- orders is not created in this file: its columns' types are unknown
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
