-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:e7e44dff2433f60c3337d6fac5ab5a15709ba4fb98e82660a8b68c6c79d1e48a
BEGIN;
-- step undo-drop-self (down): Undo: Drop the parent link
CREATE TABLE "migpkg_rebuild_teams" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER,
  "country" CHAR(2),
  "region" VARCHAR(10),
  CONSTRAINT "pk_teams" PRIMARY KEY ("id"),
  CONSTRAINT "fk_teams_country_region" FOREIGN KEY ("country", "region") REFERENCES "regions" ("country", "code") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "fk_teams_parent_id" FOREIGN KEY ("parent_id") REFERENCES "teams" ("id") ON DELETE SET NULL
);
INSERT INTO "migpkg_rebuild_teams" ("id", "parent_id", "country", "region") SELECT "id", "parent_id", "country", "region" FROM "teams";
DROP TABLE "teams";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_teams" RENAME TO "teams";
PRAGMA legacy_alter_table = OFF;
-- step undo-teams (down): Undo: Create teams
DROP TABLE "teams";
-- step undo-regions (down): Undo: Create regions
DROP TABLE "regions";
COMMIT;
