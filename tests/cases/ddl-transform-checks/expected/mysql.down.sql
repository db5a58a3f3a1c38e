-- migpkg 0.1.0 plan for mysql (down): 2 migrations

-- migration test.transformchecks/tc-copy 1.0.0: Copy legacy rows with a table lookup, required columns and rules
-- checksum sha256-v1:fb069eeef03c1ee18f897863e5c753934a1b8a988f16b0e2c0f85e4eac375478
BEGIN;
-- step unseed (down): Delete every row
DELETE FROM tc_contacts;
DELETE FROM tc_legacy;
DELETE FROM tc_departments;
COMMIT;

-- migration test.transformchecks/tc-tables 1.0.0: Tables of a transform that runs on every dialect
-- checksum sha256-v1:12deb5810301b9ef766b517090e3da02c141839421a39589200028e1ced99f5f
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-contacts (down): Undo: Create tc_contacts
DROP TABLE `tc_contacts`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-legacy (down): Undo: Create tc_legacy
DROP TABLE `tc_legacy`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-departments (down): Undo: Create tc_departments
DROP TABLE `tc_departments`;
