-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.transformcustom/tce-custom 1.0.0: Expression and custom mappings
-- checksum sha256-v1:77baf585aa6809c7abf0d40ad5defa19d43bad91fbdf0d0d5f0ec603a49dee81
BEGIN;
-- step drop-all (down): Drop tce_result and tce_people
DROP TABLE tce_result;
DROP TABLE tce_people;
COMMIT;
