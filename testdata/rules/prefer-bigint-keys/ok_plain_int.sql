SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE order_lines (id bigint PRIMARY KEY, quantity int, position smallint);
