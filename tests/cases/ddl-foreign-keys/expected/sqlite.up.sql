-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:e7e44dff2433f60c3337d6fac5ab5a15709ba4fb98e82660a8b68c6c79d1e48a
BEGIN;
-- step regions (up): Create regions
CREATE TABLE "regions" (
  "country" CHAR(2) NOT NULL,
  "code" VARCHAR(10) NOT NULL,
  "name" TEXT NOT NULL,
  CONSTRAINT "pk_regions" PRIMARY KEY ("country", "code")
);
-- step teams (up): Create teams
CREATE TABLE "teams" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER,
  "country" CHAR(2),
  "region" VARCHAR(10),
  CONSTRAINT "pk_teams" PRIMARY KEY ("id"),
  CONSTRAINT "fk_teams_parent_id" FOREIGN KEY ("parent_id") REFERENCES "teams" ("id") ON DELETE SET NULL,
  CONSTRAINT "fk_teams_country_region" FOREIGN KEY ("country", "region") REFERENCES "regions" ("country", "code") ON DELETE CASCADE ON UPDATE CASCADE
);
-- step drop-self (up): Drop the parent link
CREATE TABLE "migpkg_rebuild_teams" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER,
  "country" CHAR(2),
  "region" VARCHAR(10),
  CONSTRAINT "pk_teams" PRIMARY KEY ("id"),
  CONSTRAINT "fk_teams_country_region" FOREIGN KEY ("country", "region") REFERENCES "regions" ("country", "code") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "migpkg_rebuild_teams" ("id", "parent_id", "country", "region") SELECT "id", "parent_id", "country", "region" FROM "teams";
DROP TABLE "teams";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_teams" RENAME TO "teams";
PRAGMA legacy_alter_table = OFF;
COMMIT;
