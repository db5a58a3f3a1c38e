-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.textkeys/text-keys 1.0.0: A text primary key: a large object on MySQL, Oracle and SQL Server, which cannot key it
-- checksum sha256-v1:3ace634849a4ae26d8d67bb81043cc1ebb25b4b9f9aa36a683e2c728155ce2b3
BEGIN;
-- step codes (up): Create codes
CREATE TABLE "codes" (
  "code" TEXT NOT NULL,
  "label" VARCHAR(100) NOT NULL,
  CONSTRAINT "pk_codes" PRIMARY KEY ("code")
);
COMMIT;
