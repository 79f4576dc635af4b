-- two statements: PostgreSQL runs the script as one implicit transaction
ALTER TABLE "User" ADD COLUMN "nickname" TEXT;
CREATE INDEX CONCURRENTLY "User_nickname_idx" ON "User"("nickname");
