-- REINDEX TABLE CONCURRENTLY is not on Flyway's list: it wraps the
-- migration in a transaction, and PostgreSQL refuses
REINDEX TABLE CONCURRENTLY users;
