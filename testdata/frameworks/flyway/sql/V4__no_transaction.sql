-- V4__no_transaction.sql.conf says executeInTransaction=false
REINDEX TABLE CONCURRENTLY users;
