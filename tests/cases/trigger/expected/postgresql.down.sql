-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.trigger/tr-audit 1.0.0: Audit trigger
-- checksum sha256-v1:a16a9cdc1307c0bb25d2dce57976005a7f621f6d9a100e08344af3ea5bbd86bf
BEGIN;
-- step drop-trigger (down): Drop the audit trigger
DROP TRIGGER tr_items_audit ON tr_items;
DROP FUNCTION tr_items_audit_fn();
-- step drop-tables (down): Drop tr_audit and tr_items
DROP TABLE tr_audit;
DROP TABLE tr_items;
COMMIT;
