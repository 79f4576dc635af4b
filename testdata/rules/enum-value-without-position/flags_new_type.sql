SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- a type created in this migration sorts in declaration order too
CREATE TYPE mood AS ENUM ('sad', 'happy');
ALTER TYPE mood ADD VALUE 'ecstatic';
