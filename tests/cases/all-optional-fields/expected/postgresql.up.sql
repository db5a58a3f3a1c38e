-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.alloptional/aof-everything 1.0.0-rc.1: Every optional member
-- checksum sha256-v1:b23f48a2dc5a50eca45b8206db93b5c84beef35a26a2eb33a4798d64814ac1d2
BEGIN;
-- step create (up): Create aof_items
-- pre check (preValidation, error): SELECT 1
CREATE TABLE aof_items (id INTEGER PRIMARY KEY, label VARCHAR(20));
-- post check (postValidation, error): SELECT 1
-- step seed (up): Seed aof_items (not undone on its own)
INSERT INTO aof_items (id, label) VALUES (1, 'x');
COMMIT;
