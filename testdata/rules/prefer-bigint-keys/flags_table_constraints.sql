SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE tags (id int, parent_id smallint,
  PRIMARY KEY (id), FOREIGN KEY (parent_id) REFERENCES tags (id));
