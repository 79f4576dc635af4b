SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE metrics SET ACCESS METHOD columnar;
