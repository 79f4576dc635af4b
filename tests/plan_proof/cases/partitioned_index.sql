CREATE INDEX measurements_v_idx ON measurements (v);
CREATE INDEX ON regions (n);
