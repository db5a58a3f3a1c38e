-- migpkg 0.1.0 plan for postgresql (down): 2 migrations

-- migration test.transformchecks/tc-copy 1.0.0: Copy legacy rows with a table lookup, required columns and rules
-- checksum sha256-v1:48c5d809757f9bcb5400983bc13e1b45d87667a9b86089f3e1a995ee98008273
BEGIN;
-- step unseed (down): Delete the rows the up added
DELETE FROM tc_contacts WHERE id IN (SELECT id FROM tc_legacy);
DELETE FROM tc_legacy WHERE id IN (1, 2, 3, 4);
DELETE FROM tc_departments WHERE code IN ('ENG', 'MKT');
COMMIT;

-- migration test.transformchecks/tc-tables 1.0.0: Tables of a transform that runs on every dialect
-- checksum sha256-v1:12deb5810301b9ef766b517090e3da02c141839421a39589200028e1ced99f5f
BEGIN;
-- step undo-contacts (down): Undo: Create tc_contacts
DROP TABLE "tc_contacts";
-- step undo-legacy (down): Undo: Create tc_legacy
DROP TABLE "tc_legacy";
-- step undo-departments (down): Undo: Create tc_departments
DROP TABLE "tc_departments";
COMMIT;
