-- Names that need quoting everywhere the plan writes them.
CREATE INDEX "idx; DROP TABLE orders; --" ON "Mixed Case"."Order Items" ("semi;colon");
CREATE INDEX ON "Mixed Case"."Order Items" ("quo""te", "prix unitaire ü");
ALTER TABLE "Mixed Case"."Order Items" ADD COLUMN "Nëw ""Col""" int DEFAULT (length(clock_timestamp()::text) * 0 + 3) NOT NULL;
ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "check; it" CHECK ("Quantity" >= 0);
UPDATE "Mixed Case"."Order Items" SET "select" = 'none' WHERE "select" IS NULL;
ALTER TABLE "Mixed Case"."Order Items" ALTER COLUMN "select" SET NOT NULL;
ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "Unique ""q""" UNIQUE ("quo""te");
