DROP ROLE IF EXISTS analytics_reader;
