-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
BEGIN;
-- step create-orders (up): Create orders
CREATE TABLE "orders" (
  "id" INTEGER NOT NULL,
  "note" TEXT,
  "code" VARCHAR(20),
  "label" VARCHAR(20),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
-- step note-200 (up): Text to string(200)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("note")) FROM "orders" WHERE LENGTH("note") > 200
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" VARCHAR(20),
  "label" VARCHAR(20),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step code-char (up): string(20) to char(5)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("code")) FROM "orders" WHERE LENGTH("code") > 5
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(20),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step label-wider (up): string(20) to string(80): the automatic down narrows
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step qty-int32 (up): int64 to int32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("qty"), MAX("qty") FROM "orders" WHERE "qty" < -2147483648 OR "qty" > 2147483647
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step small-int16 (up): int32 to int16
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("small"), MAX("small") FROM "orders" WHERE "small" < -32768 OR "small" > 32767
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step amount-cents (up): decimal(12,4) to decimal(10,2)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("amount"), MAX("amount") FROM "orders" WHERE "amount" <> ROUND("amount", 2)
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(10,2),
  "whole" NUMERIC(8,2),
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step whole-int32 (up): decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("whole"), MAX("whole") FROM "orders" WHERE "whole" <> ROUND("whole", 0)
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(10,2),
  "whole" INTEGER,
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step ratio-float32 (up): float64 to float32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("ratio"), MAX("ratio") FROM "orders" WHERE "ratio" < -3.4028234663852886E+38 OR "ratio" > 3.4028234663852886E+38
CREATE TABLE "migpkg_rebuild_orders" (
  "id" INTEGER NOT NULL,
  "note" VARCHAR(200),
  "code" CHAR(5),
  "label" VARCHAR(80),
  "qty" INTEGER,
  "small" INTEGER,
  "amount" NUMERIC(10,2),
  "whole" INTEGER,
  "ratio" REAL,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
COMMIT;
