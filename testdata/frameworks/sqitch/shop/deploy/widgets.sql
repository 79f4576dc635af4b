BEGIN;
CREATE TABLE widgets (id bigint PRIMARY KEY, name text);
COMMIT;
