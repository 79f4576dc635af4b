SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE public.tmp (id bigint);
DROP TABLE public.tmp;
