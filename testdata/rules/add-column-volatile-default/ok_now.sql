ALTER TABLE accounts ADD COLUMN created_at timestamptz DEFAULT now();
