BEGIN;
SET LOCAL lock_timeout = '2s';
CREATE TABLE regions (code text PRIMARY KEY, name text);
INSERT INTO regions VALUES ('eu', 'Europe');
UPDATE regions SET name = 'EU' WHERE code = 'eu';
ALTER TABLE regions ADD COLUMN active boolean;
COMMIT;
