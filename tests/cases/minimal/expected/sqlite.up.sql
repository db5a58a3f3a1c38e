-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.minimal/create-notes 1.0.0: Create notes
-- checksum sha256-v1:b08871eb07c00afe4b66e9124cf27e6f1a927019dc4849a6db1b56f9ffe3fb02
BEGIN;
-- step create-notes (up): Create min_notes
CREATE TABLE min_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
COMMIT;
