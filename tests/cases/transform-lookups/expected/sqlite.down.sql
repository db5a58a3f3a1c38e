-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.transformlookups/tl-lookups 1.0.0: Table and inline lookups
-- checksum sha256-v1:8e9164150163dd7b34c511076d4a1adac13bdfda75ec7eb7858d20448679b006
BEGIN;
-- step drop-target (down): Drop tl_staff
DROP TABLE tl_staff;
-- step drop-source (down): Drop tl_employees and tl_departments
DROP TABLE tl_employees;
DROP TABLE tl_departments;
COMMIT;
