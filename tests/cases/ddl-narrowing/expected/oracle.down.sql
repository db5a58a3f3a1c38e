-- migpkg 0.1.0 plan for oracle (down): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-ratio-float32 (down): Undo: float64 to float32
ALTER TABLE "orders" MODIFY ("ratio" BINARY_DOUBLE);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-whole-int32 (down): Undo: decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("whole"), MAX("whole") FROM "orders" WHERE "whole" <= -1000000 OR "whole" >= 1000000
ALTER TABLE "orders" MODIFY ("whole" NUMBER(8,2));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-amount-cents (down): Undo: decimal(12,4) to decimal(10,2)
ALTER TABLE "orders" MODIFY ("amount" NUMBER(12,4));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-small-int16 (down): Undo: int32 to int16
ALTER TABLE "orders" MODIFY ("small" NUMBER(10));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-qty-int32 (down): Undo: int64 to int32
ALTER TABLE "orders" MODIFY ("qty" NUMBER(19));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-label-wider (down): Undo: string(20) to string(80): the automatic down narrows
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("label")) FROM "orders" WHERE LENGTH("label") > 20
ALTER TABLE "orders" MODIFY ("label" VARCHAR2(20 CHAR));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-code-char (down): Undo: string(20) to char(5)
ALTER TABLE "orders" MODIFY ("code" VARCHAR2(20 CHAR));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-note-200 (down): Undo: Text to string(200)
ALTER TABLE "orders" MODIFY ("note" CLOB);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-create-orders (down): Undo: Create orders
DROP TABLE "orders";
