-- pgsafe-test: --context context/shop.sql
CREATE INDEX "idx; DROP TABLE orders; --" ON "Mixed Case"."Order Items" ("semi;colon");
CREATE INDEX ON "Mixed Case"."Order Items" ("quo""te", "prix unitaire ü");
ALTER TABLE "Mixed Case"."Order Items" ADD COLUMN "Nëw ""Col""" int DEFAULT (random() * 0)::int NOT NULL;
ALTER TABLE "Mixed Case"."Order Items" ADD CONSTRAINT "check; it" CHECK ("Quantity" >= 0);
ALTER TABLE "Mixed Case"."Order Items" ALTER COLUMN "select" SET NOT NULL;
ALTER TABLE "Mixed Case"."Order Items" RENAME COLUMN "prix unitaire ü" TO "Unit Price";
