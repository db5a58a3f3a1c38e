-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.quoted/qi-order 1.0.0: Reserved words as names
-- checksum sha256-v1:52f6009690d48bb3c831df68362cb4eda1b35b75097f0d7ac27f904fd0539ac1
BEGIN;
-- step drop-order (down): Drop "OrderLines" and "order"
DROP TABLE "OrderLines";
DROP TABLE "order";
COMMIT;
