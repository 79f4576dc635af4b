SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE tmp_import (id bigint);
DROP TABLE tmp_import;
