-- migpkg 0.1.0 plan for oracle (up): 2 migrations

-- migration test.transformchecks/tc-tables 1.0.0: Tables of a transform that runs on every dialect
-- checksum sha256-v1:12deb5810301b9ef766b517090e3da02c141839421a39589200028e1ced99f5f
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step departments (up): Create tc_departments
CREATE TABLE "tc_departments" (
  "code" VARCHAR2(10 CHAR) NOT NULL,
  "name" VARCHAR2(50 CHAR) NOT NULL,
  CONSTRAINT "pk_tc_departments" PRIMARY KEY ("code")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step legacy (up): Create tc_legacy
CREATE TABLE "tc_legacy" (
  "id" NUMBER(19) NOT NULL,
  "full_name" VARCHAR2(100 CHAR),
  "dept" VARCHAR2(10 CHAR),
  "score" NUMBER(10),
  CONSTRAINT "pk_tc_legacy" PRIMARY KEY ("id")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step contacts (up): Create tc_contacts
CREATE TABLE "tc_contacts" (
  "id" NUMBER(19) NOT NULL,
  "full_name" VARCHAR2(100 CHAR) NOT NULL,
  "department" VARCHAR2(50 CHAR) NOT NULL,
  "score" NUMBER(10),
  CONSTRAINT "pk_tc_contacts" PRIMARY KEY ("id")
);

-- migration test.transformchecks/tc-copy 1.0.0: Copy legacy rows with a table lookup, required columns and rules
-- checksum sha256-v1:48c5d809757f9bcb5400983bc13e1b45d87667a9b86089f3e1a995ee98008273
-- step seed (up): Seed the departments and the legacy rows
INSERT INTO tc_departments (code, name) VALUES ('ENG', 'Engineering');
INSERT INTO tc_departments (code, name) VALUES ('MKT', 'Marketing');
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (1, '  Ann  ', 'ENG', 90);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (2, 'Bob', 'OPS', 50);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (3, 'Cid', NULL, 70);
INSERT INTO tc_legacy (id, full_name, dept, score) VALUES (4, 'Dee', 'MKT', -1);
-- step copy (up, transform): Copy tc_legacy into tc_contacts
-- pre check (lookup-unique, error): SELECT CASE WHEN COUNT("code") = COUNT(DISTINCT "code") THEN 1 ELSE 0 END FROM "tc_departments"
-- pre check (required, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM (SELECT "m"."v1" AS "id", "m"."v2" AS "full_name", COALESCE("l3"."name", 'Unknown') AS "department", "m"."v4" AS "score" FROM (SELECT "id" AS "v1", TRIM("full_name") AS "v2", "dept" AS "k3", "score" AS "v4" FROM "tc_legacy" WHERE (score >= 0)) "m" LEFT JOIN "tc_departments" "l3" ON "l3"."code" = "m"."k3") "r" WHERE "r"."id" IS NULL OR "r"."full_name" IS NULL OR "r"."department" IS NULL
INSERT INTO "tc_contacts" ("id", "full_name", "department", "score")
SELECT "m"."v1" AS "id", "m"."v2" AS "full_name", COALESCE("l3"."name", 'Unknown') AS "department", "m"."v4" AS "score"
FROM (SELECT "id" AS "v1", TRIM("full_name") AS "v2", "dept" AS "k3", "score" AS "v4" FROM "tc_legacy" WHERE (score >= 0)) "m"
LEFT JOIN "tc_departments" "l3" ON "l3"."code" = "m"."k3";
-- post check (rule, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM "tc_contacts" WHERE CASE WHEN (score BETWEEN 0 AND 100) THEN 0 ELSE 1 END = 1
-- post check (rule, warning): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM "tc_contacts" WHERE CASE WHEN (department <> 'Unknown') THEN 0 ELSE 1 END = 1
COMMIT;
