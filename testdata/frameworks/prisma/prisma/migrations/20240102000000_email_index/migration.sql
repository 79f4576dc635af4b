-- the file's only statement runs on its own, outside a transaction
CREATE INDEX CONCURRENTLY "User_name_idx" ON "User"("name");
