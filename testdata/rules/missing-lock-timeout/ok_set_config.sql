SELECT set_config('lock_timeout', '2s', false);
ALTER TABLE users ADD COLUMN note text;
