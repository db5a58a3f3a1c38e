-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.alloptional/aof-everything 1.0.0-rc.1: Every optional member
-- checksum sha256-v1:b23f48a2dc5a50eca45b8206db93b5c84beef35a26a2eb33a4798d64814ac1d2
BEGIN;
-- step drop (down): Drop aof_items
DROP TABLE aof_items;
COMMIT;
