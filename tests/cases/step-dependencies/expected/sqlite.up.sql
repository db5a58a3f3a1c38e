-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.stepdeps/sd-ordered 1.0.0: Steps listed out of order
-- checksum sha256-v1:fdef8a02bb7028f902e5d4daf1afbf35ab7b863411cceb9722c8a6d23f114562
BEGIN;
-- step create-table (up): Create sd_items
CREATE TABLE sd_items (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL);
-- step create-index (up): Index sd_items
CREATE UNIQUE INDEX sd_items_name_idx ON sd_items (name);
-- step seed (up): Seed sd_items
INSERT INTO sd_items (id, name) VALUES (1, 'one'), (2, 'two');
-- step create-audit (up): Create sd_audit
CREATE TABLE sd_audit (id INTEGER PRIMARY KEY, note TEXT);
COMMIT;
