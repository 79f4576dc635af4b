SET lock_timeout = '2s';
ALTER TABLE events ADD COLUMN kind text NOT NULL DEFAULT 'click';
