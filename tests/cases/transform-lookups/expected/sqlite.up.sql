-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.transformlookups/tl-lookups 1.0.0: Table and inline lookups
-- checksum sha256-v1:8e9164150163dd7b34c511076d4a1adac13bdfda75ec7eb7858d20448679b006
BEGIN;
-- step seed-source (up): Create and seed tl_employees and tl_departments
CREATE TABLE tl_departments (code VARCHAR(10) PRIMARY KEY, title VARCHAR(50) NOT NULL);
INSERT INTO tl_departments (code, title) VALUES ('ENG', 'Engineering'), ('MKT', 'Marketing'), ('FIN', 'Finance');
CREATE TABLE tl_employees (
  id INTEGER PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  dept_code VARCHAR(10),
  grade CHAR(1),
  region CHAR(1),
  email VARCHAR(100),
  active INTEGER NOT NULL
);
INSERT INTO tl_employees (id, name, dept_code, grade, region, email, active) VALUES
  (1, 'Ann', 'ENG', 'S', 'N', 'ann@x.example', 1),
  (2, 'Bob', 'OPS', 'J', 'S', 'bob@x.example', 1),
  (3, 'Cid', NULL, 'P', 'W', 'cid@x.example', 1),
  (4, 'Dee', 'MKT', 'X', NULL, 'dee@x.example', 1),
  (5, 'Eve', 'ENG', 'J', 'N', NULL, 1),
  (6, 'Fay', 'MKT', 'S', 'S', 'fay@x.example', 0);
-- step create-target (up): Create tl_staff
CREATE TABLE tl_staff (
  id INTEGER PRIMARY KEY,
  employee_id INTEGER NOT NULL UNIQUE,
  name VARCHAR(50) NOT NULL,
  department VARCHAR(50) NOT NULL,
  grade_label VARCHAR(20),
  region VARCHAR(20) NOT NULL,
  email VARCHAR(100) NOT NULL
);
-- step copy (up, transform): Copy active employees into tl_staff
-- pre check (lookup-unique, error): SELECT COUNT("code") = COUNT(DISTINCT "code") FROM "tl_departments"
-- pre check (required, error): SELECT COUNT(*) = 0 FROM (SELECT "m"."v1" AS "employee_id", "m"."v2" AS "name", COALESCE("l3"."title", 'Unassigned') AS "department", "m"."v4" AS "grade_label", COALESCE("m"."v5", 'Other') AS "region", "m"."v6" AS "email" FROM (SELECT "id" AS "v1", "name" AS "v2", "dept_code" AS "k3", CASE "grade" WHEN 'J' THEN 'Junior' WHEN 'P' THEN 'Principal' WHEN 'S' THEN 'Senior' END AS "v4", CASE "region" WHEN 'N' THEN 'North' WHEN 'S' THEN 'South' END AS "v5", "email" AS "v6" FROM "tl_employees" WHERE (active = 1 AND email IS NOT NULL)) AS "m" LEFT JOIN "tl_departments" AS "l3" ON "l3"."code" = "m"."k3") AS "r" WHERE "r"."employee_id" IS NULL OR "r"."name" IS NULL OR "r"."department" IS NULL OR "r"."email" IS NULL
INSERT INTO "tl_staff" ("employee_id", "name", "department", "grade_label", "region", "email")
SELECT "m"."v1" AS "employee_id", "m"."v2" AS "name", COALESCE("l3"."title", 'Unassigned') AS "department", "m"."v4" AS "grade_label", COALESCE("m"."v5", 'Other') AS "region", "m"."v6" AS "email"
FROM (SELECT "id" AS "v1", "name" AS "v2", "dept_code" AS "k3", CASE "grade" WHEN 'J' THEN 'Junior' WHEN 'P' THEN 'Principal' WHEN 'S' THEN 'Senior' END AS "v4", CASE "region" WHEN 'N' THEN 'North' WHEN 'S' THEN 'South' END AS "v5", "email" AS "v6" FROM "tl_employees" WHERE (active = 1 AND email IS NOT NULL)) AS "m"
LEFT JOIN "tl_departments" AS "l3" ON "l3"."code" = "m"."k3";
-- post check (rule, error): SELECT COUNT(*) = 0 FROM "tl_staff" WHERE NOT COALESCE((name <> ''), 0)
-- post check (rule, error): SELECT COUNT(*) = 0 FROM "tl_staff" WHERE NOT COALESCE((department IS NOT NULL), 0)
-- post check (rule, warning): SELECT COUNT(*) = 0 FROM "tl_staff" WHERE NOT COALESCE((grade_label IS NOT NULL), 0)
-- post check (postValidation, error): SELECT COUNT(*) = 4 FROM tl_staff
COMMIT;
