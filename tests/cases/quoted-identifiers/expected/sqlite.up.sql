-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.quoted/qi-order 1.0.0: Reserved words as names
-- checksum sha256-v1:52f6009690d48bb3c831df68362cb4eda1b35b75097f0d7ac27f904fd0539ac1
BEGIN;
-- step create-order (up): Create "order" and "OrderLines"
CREATE TABLE "order" ("id" INTEGER PRIMARY KEY, "group" VARCHAR(50) NOT NULL, "select" INTEGER);
CREATE INDEX "order_group_idx" ON "order" ("group");
CREATE TABLE "OrderLines" ("order" INTEGER NOT NULL REFERENCES "order" ("id"), "Line No" INTEGER NOT NULL, PRIMARY KEY ("order", "Line No"));
INSERT INTO "order" ("id", "group", "select") VALUES (1, 'a', 2);
INSERT INTO "OrderLines" ("order", "Line No") VALUES (1, 1);
-- post check (postValidation, error): SELECT COUNT(*) = 1 FROM "order" o JOIN "OrderLines" l ON l."order" = o."id" WHERE o."group" = 'a'
COMMIT;
