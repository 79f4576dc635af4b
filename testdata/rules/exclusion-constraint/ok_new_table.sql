SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE reservations (room int, during tstzrange);
ALTER TABLE reservations ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
