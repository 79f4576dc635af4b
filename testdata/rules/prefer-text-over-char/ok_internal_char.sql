SET lock_timeout = '2s'; SET statement_timeout = '5min';
-- "char" (quoted) is PostgreSQL's one-byte internal type, not char(n)
CREATE TABLE flags (kind "char" NOT NULL);
