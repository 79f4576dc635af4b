-- The old name stays usable through a view until the application moves.
ALTER TABLE customers RENAME TO clients;
