-- migpkg 0.1.0 plan for oracle (up): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step create-orders (up): Create orders
CREATE TABLE "orders" (
  "id" NUMBER(19) NOT NULL,
  "note" CLOB,
  "code" VARCHAR2(20 CHAR),
  "label" VARCHAR2(20 CHAR),
  "qty" NUMBER(19),
  "small" NUMBER(10),
  "amount" NUMBER(12,4),
  "whole" NUMBER(8,2),
  "ratio" BINARY_DOUBLE,
  CONSTRAINT "pk_orders" PRIMARY KEY ("id")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step note-200 (up): Text to string(200)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("note")) FROM "orders" WHERE LENGTH("note") > 200
ALTER TABLE "orders" MODIFY ("note" VARCHAR2(200 CHAR));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step code-char (up): string(20) to char(5)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("code")) FROM "orders" WHERE LENGTH("code") > 5
ALTER TABLE "orders" MODIFY ("code" CHAR(5 CHAR));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step label-wider (up): string(20) to string(80): the automatic down narrows
ALTER TABLE "orders" MODIFY ("label" VARCHAR2(80 CHAR));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step qty-int32 (up): int64 to int32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("qty"), MAX("qty") FROM "orders" WHERE "qty" < -2147483648 OR "qty" > 2147483647
ALTER TABLE "orders" MODIFY ("qty" NUMBER(10));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step small-int16 (up): int32 to int16
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("small"), MAX("small") FROM "orders" WHERE "small" < -32768 OR "small" > 32767
ALTER TABLE "orders" MODIFY ("small" NUMBER(5));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step amount-cents (up): decimal(12,4) to decimal(10,2)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("amount"), MAX("amount") FROM "orders" WHERE "amount" <> ROUND("amount", 2)
ALTER TABLE "orders" MODIFY ("amount" NUMBER(10,2));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step whole-int32 (up): decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("whole"), MAX("whole") FROM "orders" WHERE "whole" <> ROUND("whole", 0)
ALTER TABLE "orders" MODIFY ("whole" NUMBER(10));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step ratio-float32 (up): float64 to float32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("ratio"), MAX("ratio") FROM "orders" WHERE "ratio" < -3.4028234663852886E+38 OR "ratio" > 3.4028234663852886E+38
ALTER TABLE "orders" MODIFY ("ratio" BINARY_FLOAT);
