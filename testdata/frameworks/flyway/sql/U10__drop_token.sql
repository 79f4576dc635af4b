ALTER TABLE users ADD COLUMN token2 uuid DEFAULT gen_random_uuid();
