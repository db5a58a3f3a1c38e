-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
BEGIN;
-- step undo-ratio-float32 (down): Undo: float64 to float32
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
-- step undo-whole-int32 (down): Undo: decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("whole"), MAX("whole") FROM "orders" WHERE "whole" <= -1000000 OR "whole" >= 1000000
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
-- step undo-amount-cents (down): Undo: decimal(12,4) to decimal(10,2)
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
-- step undo-small-int16 (down): Undo: int32 to int16
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
-- step undo-qty-int32 (down): Undo: int64 to int32
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
-- step undo-label-wider (down): Undo: string(20) to string(80): the automatic down narrows
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("label")) FROM "orders" WHERE LENGTH("label") > 20
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
-- step undo-code-char (down): Undo: string(20) to char(5)
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
-- step undo-note-200 (down): Undo: Text to string(200)
CREATE TABLE "migpkg_rebuild_orders" (
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
INSERT INTO "migpkg_rebuild_orders" ("id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio") SELECT "id", "note", "code", "label", "qty", "small", "amount", "whole", "ratio" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
-- step undo-create-orders (down): Undo: Create orders
DROP TABLE "orders";
COMMIT;
