-- regions has no default partition: DETACH CONCURRENTLY, then FINALIZE if
-- it was interrupted (it was not: nothing to do).
ALTER TABLE regions DETACH PARTITION regions_us;
