-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.transformcustom/tce-custom 1.0.0: Expression and custom mappings
-- checksum sha256-v1:77baf585aa6809c7abf0d40ad5defa19d43bad91fbdf0d0d5f0ec603a49dee81
BEGIN;
-- step seed-source (up): Create and seed tce_people
CREATE TABLE tce_people (id INTEGER PRIMARY KEY, full_name VARCHAR(100) NOT NULL, qty INTEGER, unit_price INTEGER NOT NULL);
INSERT INTO tce_people (id, full_name, qty, unit_price) VALUES
  (1, 'Ada Lovelace', 3, 10),
  (2, 'Alan Mathison Turing', NULL, 7),
  (3, 'Grace Hopper', 2, 5);
-- step create-target (up): Create tce_result
CREATE TABLE tce_result (person_id INTEGER PRIMARY KEY, first_name VARCHAR(50), total INTEGER, doubled INTEGER, kind VARCHAR(10));
-- step copy (up, transform): Copy tce_people into tce_result
INSERT INTO "tce_result" ("person_id", "first_name", "total", "doubled", "kind")
SELECT "id" AS "person_id", (substr(full_name, 1, instr(full_name, ' ') - 1)) AS "first_name", COALESCE((qty * unit_price), 0) AS "total", (unit_price * 2) AS "doubled", ('person') AS "kind"
FROM "tce_people" WHERE (unit_price > 5);
COMMIT;
