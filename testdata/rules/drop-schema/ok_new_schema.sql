SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE SCHEMA scratch;
CREATE TABLE scratch.t (id bigint);
DROP SCHEMA scratch CASCADE;
