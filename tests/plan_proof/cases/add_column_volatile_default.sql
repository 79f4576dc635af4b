-- A volatile default rewrites the table: the plan adds the column bare,
-- sets the default, backfills by primary key, and makes it NOT NULL through
-- a validated check. The expression is volatile but always 7, so both
-- databases end with the same rows.
ALTER TABLE orders ADD COLUMN score int NOT NULL DEFAULT (length(clock_timestamp()::text) * 0 + 7);
