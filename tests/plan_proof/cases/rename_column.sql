-- A column with a default, NOT NULL, an index and a quoted name, renamed:
-- both names stay in step through a trigger until the application moves.
ALTER TABLE orders RENAME COLUMN created_at TO placed_at;
ALTER TABLE "Mixed Case"."Order Items" RENAME COLUMN "prix unitaire ü" TO "Unit Price";
