-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.skiponerror/soe-items 1.0.0: An optional step
-- checksum sha256-v1:b17783c20789791feb71117b95dd6eed449685424bbb8a6f0773cbdaadc672a7
BEGIN;
-- step drop-index (down): Drop the optional index if it was created
DROP INDEX IF EXISTS soe_items_name_idx;
-- step drop (down): Drop soe_items
DROP TABLE soe_items;
COMMIT;
