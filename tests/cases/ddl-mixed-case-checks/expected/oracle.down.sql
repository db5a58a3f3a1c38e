-- migpkg 0.1.0 plan for oracle (down): 2 migrations

-- migration test.mixedcase/mixed-case-rename 1.1.0: A column named in checks is renamed, then the table gets another check
-- checksum sha256-v1:95b047bafc682d142885b96815d912fa56791446f18074c17dc4f031ebf1854f
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-limit (down): Undo: At most 500 on hand
ALTER TABLE "stock" DROP CONSTRAINT "ck_stock_limit";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-rename (down): Undo: Quantity becomes On Hand
ALTER TABLE "stock" RENAME COLUMN "On Hand" TO "Quantity";

-- migration test.mixedcase/mixed-case-stock 1.0.0: Checks over mixed-case columns, written once for every dialect
-- checksum sha256-v1:bf5c2901b0a10939f4b21ff54b3b0a34d89ca52603aa24e221b2a6721678fa4c
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-stock (down): Undo: Create stock
DROP TABLE "stock";
