SET lock_timeout = '2s'; SET statement_timeout = '5min';
ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
