-- migpkg 0.1.0 plan for sqlite (down): 2 migrations

-- migration test.unicode/unicode-changes 1.0.0: Add and change character columns
-- checksum sha256-v1:25587b07317fb804180a5ec231a6e5775dee4c5d07f0c0eb564680d0ece13314
BEGIN;
-- step undo-longer-name (down): Undo: Make the name longer
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LENGTH("name")) FROM "ut_people" WHERE LENGTH("name") > 40
CREATE TABLE "migpkg_rebuild_ut_people" (
  "id" INTEGER NOT NULL,
  "name" VARCHAR(40) NOT NULL,
  "initials" CHAR(4),
  "bio" TEXT,
  "mood" TEXT DEFAULT 'ok' CHECK ("mood" IN ('ok', 'żółw', '🎉')),
  "nickname" VARCHAR(30),
  CONSTRAINT "pk_ut_people" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_ut_people" ("id", "name", "initials", "bio", "mood", "nickname") SELECT "id", "name", "initials", "bio", "mood", "nickname" FROM "ut_people";
DROP TABLE "ut_people";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_ut_people" RENAME TO "ut_people";
PRAGMA legacy_alter_table = OFF;
-- step undo-nickname (down): Undo: Add a nickname
CREATE TABLE "migpkg_rebuild_ut_people" (
  "id" INTEGER NOT NULL,
  "name" VARCHAR(40) NOT NULL,
  "initials" CHAR(4),
  "bio" TEXT,
  "mood" TEXT DEFAULT 'ok' CHECK ("mood" IN ('ok', 'żółw', '🎉')),
  CONSTRAINT "pk_ut_people" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_ut_people" ("id", "name", "initials", "bio", "mood") SELECT "id", "name", "initials", "bio", "mood" FROM "ut_people";
DROP TABLE "ut_people";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_ut_people" RENAME TO "ut_people";
PRAGMA legacy_alter_table = OFF;
COMMIT;

-- migration test.unicode/unicode-people 1.0.0: Character columns that hold any Unicode text
-- checksum sha256-v1:73a13dc9767ae5219a075be707ffe877ac092f477ff615b0036332e5d4d94d92
BEGIN;
-- step undo-people (down): Undo: Create ut_people
DROP TABLE "ut_people";
COMMIT;
