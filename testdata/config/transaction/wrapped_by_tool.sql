-- assume_in_transaction: true: the tool wraps the file, so CONCURRENTLY
-- cannot run here.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);
