SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE rooms_booked (room int, during tstzrange,
  EXCLUDE USING gist (room WITH =, during WITH &&));
