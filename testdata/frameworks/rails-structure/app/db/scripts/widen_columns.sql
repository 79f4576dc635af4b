-- varchar to text and varchar(255) to a longer varchar cost nothing,
-- varchar(255) to varchar(100) checks every row: only the catalog from
-- db/structure.sql tells them apart
ALTER TABLE users ALTER COLUMN email TYPE text;
ALTER TABLE users ALTER COLUMN name TYPE varchar(500);
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);
DROP INDEX index_users_on_email;
