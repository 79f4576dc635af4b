-- the first version of the reworked change "users" (sqitch rework)
BEGIN;
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
COMMIT;
