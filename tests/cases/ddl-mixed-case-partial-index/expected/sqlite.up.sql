-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.mixedcasepartial/mixed-case-items 1.0.0: A partial unique index whose predicate names a mixed-case column
-- checksum sha256-v1:7212129acb5af4a349a89ac2e6910cf6afbf82f5c3f2838c49755f8a9fb57a30
BEGIN;
-- step items (up): Create items
CREATE TABLE "items" (
  "id" INTEGER NOT NULL,
  "Sku" VARCHAR(20) NOT NULL,
  "Quantity" INTEGER NOT NULL,
  CONSTRAINT "pk_items" PRIMARY KEY ("id")
);
-- step sku-in-stock (up): One in-stock item per SKU
CREATE UNIQUE INDEX "ux_items_Sku" ON "items" ("Sku") WHERE "Quantity" > 0;
COMMIT;
