-- enum types and domains with constraints
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE DOMAIN email_address AS text NOT NULL;
CREATE DOMAIN short_label AS varchar(20);
