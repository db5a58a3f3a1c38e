-- migpkg 0.1.0 plan for sqlite (up): 2 migrations

-- migration test.transformchecks/tc-tables 1.0.0: Tables of a transform that runs on every dialect
-- checksum sha256-v1:12deb5810301b9ef766b517090e3da02c141839421a39589200028e1ced99f5f
BEGIN;
-- step departments (up): Create tc_departments
CREATE TABLE "tc_departments" (
  "code" VARCHAR(10) NOT NULL,
  "name" VARCHAR(50) NOT NULL,
  CONSTRAINT "pk_tc_departments" PRIMARY KEY ("code")
);
-- step legacy (up): Create tc_legacy
CREATE TABLE "tc_legacy" (
  "id" INTEGER NOT NULL,
  "full_name" VARCHAR(100),
  "dept" VARCHAR(10),
  "score" INTEGER,
  CONSTRAINT "pk_tc_legacy" PRIMARY KEY ("id")
);
-- step contacts (up): Create tc_contacts
CREATE TABLE "tc_contacts" (
  "id" INTEGER NOT NULL,
  "full_name" VARCHAR(100) NOT NULL,
  "department" VARCHAR(50) NOT NULL,
  "score" INTEGER,
  CONSTRAINT "pk_tc_contacts" PRIMARY KEY ("id")
);
COMMIT;

-- migration test.transformchecks/tc-copy 1.0.0: Copy legacy rows with a table lookup, required columns and rules
-- checksum sha256-v1:48c5d809757f9bcb5400983bc13e1b45d87667a9b86089f3e1a995ee98008273
BEGIN;
-- step seed (up): Seed the departments and the legacy rows
INSERT INTO tc_departments (code, name) VALUES ('ENG', 'Engineering');
INSERT INTO tc_departments (code, name) VALUES ('MKT', 'Marketing');
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (1, '  Ann  ', 'ENG', 90);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (2, 'Bob', 'OPS', 50);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (3, 'Cid', NULL, 70);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (4, 'Dee', 'MKT', -1);
-- step copy (up, transform): Copy tc_legacy into tc_contacts
-- pre check (lookup-unique, error): SELECT COUNT("code") = COUNT(DISTINCT "code") FROM "tc_departments"
-- pre check (required, error): SELECT COUNT(*) = 0 FROM (SELECT "m"."v1" AS "id", "m"."v2" AS "full_name", COALESCE("l3"."name", 'Unknown') AS "department", "m"."v4" AS "score" FROM (SELECT "id" AS "v1", TRIM("full_name") AS "v2", "dept" AS "k3", "score" AS "v4" FROM "tc_legacy" WHERE (score >= 0)) AS "m" LEFT JOIN "tc_departments" AS "l3" ON "l3"."code" = "m"."k3") AS "r" WHERE "r"."id" IS NULL OR "r"."full_name" IS NULL OR "r"."department" IS NULL
INSERT INTO "tc_contacts" ("id", "full_name", "department", "score")
SELECT "m"."v1" AS "id", "m"."v2" AS "full_name", COALESCE("l3"."name", 'Unknown') AS "department", "m"."v4" AS "score"
FROM (SELECT "id" AS "v1", TRIM("full_name") AS "v2", "dept" AS "k3", "score" AS "v4" FROM "tc_legacy" WHERE (score >= 0)) AS "m"
LEFT JOIN "tc_departments" AS "l3" ON "l3"."code" = "m"."k3";
-- post check (rule, error): SELECT COUNT(*) = 0 FROM "tc_contacts" WHERE NOT COALESCE((score BETWEEN 0 AND 100), 0)
-- post check (rule, warning): SELECT COUNT(*) = 0 FROM "tc_contacts" WHERE NOT COALESCE((department <> 'Unknown'), 0)
COMMIT;
