-- SHARE UPDATE EXCLUSIVE and weaker block neither reads nor writes
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
UPDATE users SET note = '' WHERE id = 1;
