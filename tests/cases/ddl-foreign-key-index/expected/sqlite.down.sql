-- migpkg 0.1.0 plan for sqlite (down): 3 migrations

-- migration test.fkindex/fki-drops 1.0.0: Drop covers and foreign keys with rows in the tables
-- checksum sha256-v1:e213c8c758886dd6ffda4a5b7b39af760d86deaf3dca4b8acc361ef0edbb3f6d
BEGIN;
-- step undo-drop-uncovered-column (down): Undo: Drop a column with a foreign key and an index
ALTER TABLE "fki_uncovered" ADD COLUMN "parent_id" INTEGER;
-- step undo-drop-uncovered-column-2 (down): Undo: Drop a column with a foreign key and an index
CREATE TABLE "migpkg_rebuild_fki_uncovered" (
  "id" INTEGER NOT NULL,
  "other" INTEGER NOT NULL,
  "parent_id" INTEGER,
  CONSTRAINT "pk_fki_uncovered" PRIMARY KEY ("id"),
  CONSTRAINT "fk_fki_uncovered_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
INSERT INTO "migpkg_rebuild_fki_uncovered" ("id", "other", "parent_id") SELECT "id", "other", "parent_id" FROM "fki_uncovered";
DROP TABLE "fki_uncovered";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_fki_uncovered" RENAME TO "fki_uncovered";
PRAGMA legacy_alter_table = OFF;
-- step undo-drop-uncovered-column-3 (down): Undo: Drop a column with a foreign key and an index
CREATE INDEX "ix_fki_uncovered_other_parent_id" ON "fki_uncovered" ("other", "parent_id");
-- step undo-drop-later-fk (down): Undo: Drop a foreign key that has no index of its own
CREATE TABLE "migpkg_rebuild_fki_later" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER NOT NULL,
  CONSTRAINT "pk_fki_later" PRIMARY KEY ("id"),
  CONSTRAINT "fk_fki_later_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
INSERT INTO "migpkg_rebuild_fki_later" ("id", "parent_id") SELECT "id", "parent_id" FROM "fki_later";
DROP TABLE "fki_later";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_fki_later" RENAME TO "fki_later";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_fki_later_parent_id" ON "fki_later" ("parent_id");
-- step undo-drop-unique (down): Undo: Drop the unique constraint that covers a foreign key
CREATE TABLE "migpkg_rebuild_fki_unique_children" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER NOT NULL,
  "code" VARCHAR(10) NOT NULL,
  CONSTRAINT "pk_fki_unique_children" PRIMARY KEY ("id"),
  CONSTRAINT "fk_fki_unique_children_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id"),
  CONSTRAINT "uq_fki_unique_children_parent_id_code" UNIQUE ("parent_id", "code")
);
INSERT INTO "migpkg_rebuild_fki_unique_children" ("id", "parent_id", "code") SELECT "id", "parent_id", "code" FROM "fki_unique_children";
DROP TABLE "fki_unique_children";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_fki_unique_children" RENAME TO "fki_unique_children";
PRAGMA legacy_alter_table = OFF;
-- step undo-drop-plain-index (down): Undo: Drop the only cover: the foreign key gets its own index back first
CREATE INDEX "ix_fki_plain_children_parent_id_id" ON "fki_plain_children" ("parent_id", "id");
COMMIT;

-- migration test.fkindex/fki-rows 1.0.0: Rows in every table
-- checksum sha256-v1:3beb38f0291c8b31cfcfe52eb2bae4272548afe3f10230ac4437cb5fcd0cfd6d
BEGIN;
-- step no-rows (down): Delete the parents the up added, with their children
DELETE FROM fki_uncovered WHERE id = 1 OR parent_id IN (1, 2);
DELETE FROM fki_later WHERE parent_id IN (1, 2);
DELETE FROM fki_plain_children WHERE parent_id IN (1, 2);
DELETE FROM fki_unique_children WHERE parent_id IN (1, 2);
DELETE FROM fki_pk_children WHERE parent_id IN (1, 2);
DELETE FROM fki_parents WHERE id IN (1, 2);
COMMIT;

-- migration test.fkindex/fki-tables 1.0.0: Foreign keys with and without an index that covers them
-- checksum sha256-v1:84dda32c530aa6bf5f1142628e8ca6dc29f86fa4ce7b36e941c3ebddde4cd01a
BEGIN;
-- step undo-uncovered-index (down): Undo: Index (other, parent_id)
DROP INDEX "ix_fki_uncovered_other_parent_id";
-- step undo-fki_uncovered (down): Undo: An index with the column second does not cover; parent_id last, so PostgreSQL can add it back in place
DROP TABLE "fki_uncovered";
-- step undo-later-fk (down): Undo: Then add the foreign key, which the index covers
CREATE TABLE "migpkg_rebuild_fki_later" (
  "id" INTEGER NOT NULL,
  "parent_id" INTEGER NOT NULL,
  CONSTRAINT "pk_fki_later" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_fki_later" ("id", "parent_id") SELECT "id", "parent_id" FROM "fki_later";
DROP TABLE "fki_later";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_fki_later" RENAME TO "fki_later";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_fki_later_parent_id" ON "fki_later" ("parent_id");
-- step undo-later-index (down): Undo: Index the column first
DROP INDEX "ix_fki_later_parent_id";
-- step undo-fki_later (down): Undo: A table whose foreign key comes later
DROP TABLE "fki_later";
-- step undo-plain-index (down): Undo: An index that covers the foreign key makes its own index redundant
DROP INDEX "ix_fki_plain_children_parent_id_id";
-- step undo-fki_plain_children (down): Undo: Nothing covers the foreign key: it gets its own index
DROP TABLE "fki_plain_children";
-- step undo-fki_unique_children (down): Undo: A unique constraint covers the foreign key
DROP TABLE "fki_unique_children";
-- step undo-fki_pk_children (down): Undo: The primary key covers the foreign key
DROP TABLE "fki_pk_children";
-- step undo-fki_parents (down): Undo: Create the parents
DROP TABLE "fki_parents";
COMMIT;
