-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
BEGIN;
-- step create-orders (up): Create orders
CREATE TABLE "orders" (
  "id" BIGINT NOT NULL,
  "note" TEXT,
  "code" VARCHAR(20),
  "label" VARCHAR(20),
  "qty" BIGINT,
  "small" INTEGER,
  "amount" NUMERIC(12,4),
  "whole" NUMERIC(8,2),
  "ratio" DOUBLE PRECISION,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
-- step note-200 (up): Text to string(200)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(CHAR_LENGTH("note")) FROM "orders" WHERE CHAR_LENGTH("note") > 200
ALTER TABLE "orders" ALTER COLUMN "note" TYPE VARCHAR(200) USING CAST("note" AS VARCHAR(200));
-- step code-char (up): string(20) to char(5)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(CHAR_LENGTH("code")) FROM "orders" WHERE CHAR_LENGTH("code") > 5
ALTER TABLE "orders" ALTER COLUMN "code" TYPE CHAR(5) USING CAST("code" AS CHAR(5));
-- step label-wider (up): string(20) to string(80): the automatic down narrows
ALTER TABLE "orders" ALTER COLUMN "label" TYPE VARCHAR(80) USING CAST("label" AS VARCHAR(80));
-- step qty-int32 (up): int64 to int32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("qty"), MAX("qty") FROM "orders" WHERE "qty" < -2147483648 OR "qty" > 2147483647
ALTER TABLE "orders" ALTER COLUMN "qty" TYPE INTEGER USING CAST("qty" AS INTEGER);
-- step small-int16 (up): int32 to int16
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("small"), MAX("small") FROM "orders" WHERE "small" < -32768 OR "small" > 32767
ALTER TABLE "orders" ALTER COLUMN "small" TYPE SMALLINT USING CAST("small" AS SMALLINT);
-- step amount-cents (up): decimal(12,4) to decimal(10,2)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("amount"), MAX("amount") FROM "orders" WHERE "amount" <> ROUND(CAST("amount" AS NUMERIC), 2)
ALTER TABLE "orders" ALTER COLUMN "amount" TYPE NUMERIC(10,2) USING CAST("amount" AS NUMERIC(10,2));
-- step whole-int32 (up): decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("whole"), MAX("whole") FROM "orders" WHERE "whole" <> ROUND(CAST("whole" AS NUMERIC), 0)
ALTER TABLE "orders" ALTER COLUMN "whole" TYPE INTEGER USING CAST("whole" AS INTEGER);
-- step ratio-float32 (up): float64 to float32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("ratio"), MAX("ratio") FROM "orders" WHERE "ratio" < -3.4028234663852886E+38 OR "ratio" > 3.4028234663852886E+38
ALTER TABLE "orders" ALTER COLUMN "ratio" TYPE REAL USING CAST("ratio" AS REAL);
COMMIT;
