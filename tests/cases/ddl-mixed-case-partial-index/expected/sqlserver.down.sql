-- migpkg 0.1.0 plan for sqlserver (down): 1 migration

-- migration test.mixedcasepartial/mixed-case-items 1.0.0: A partial unique index whose predicate names a mixed-case column
-- checksum sha256-v1:7212129acb5af4a349a89ac2e6910cf6afbf82f5c3f2838c49755f8a9fb57a30
BEGIN TRANSACTION;
-- step undo-sku-in-stock (down): Undo: One in-stock item per SKU
DROP INDEX [ux_items_Sku] ON [items];
-- step undo-items (down): Undo: Create items
DROP TABLE [items];
COMMIT;
