-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.skiponerror/soe-items 1.0.0: An optional step
-- checksum sha256-v1:b17783c20789791feb71117b95dd6eed449685424bbb8a6f0773cbdaadc672a7
BEGIN;
-- step create (up): Create soe_items
CREATE TABLE soe_items (id INTEGER PRIMARY KEY, name VARCHAR(50));
-- step optional-index (up): Create an optional index (failure is tolerated)
-- skipOnError: a failure of this step is recorded and skipped
CREATE INDEX soe_items_name_idx ON soe_items (name);
-- step seed (up): Seed soe_items
INSERT INTO soe_items (id, name) VALUES (1, 'kept');
COMMIT;
