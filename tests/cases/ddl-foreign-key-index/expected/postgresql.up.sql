-- migpkg 0.1.0 plan for postgresql (up): 3 migrations

-- migration test.fkindex/fki-tables 1.0.0: Foreign keys with and without an index that covers them
-- checksum sha256-v1:84dda32c530aa6bf5f1142628e8ca6dc29f86fa4ce7b36e941c3ebddde4cd01a
BEGIN;
-- step fki_parents (up): Create the parents
CREATE TABLE "fki_parents" (
  "id" BIGINT NOT NULL,
  CONSTRAINT "pk_fki_parents" PRIMARY KEY ("id")
);
-- step fki_pk_children (up): The primary key covers the foreign key
CREATE TABLE "fki_pk_children" (
  "parent_id" BIGINT NOT NULL,
  "line" BIGINT NOT NULL,
  CONSTRAINT "pk_fki_pk_children" PRIMARY KEY ("parent_id", "line"),
  CONSTRAINT "fk_fki_pk_children_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
-- step fki_unique_children (up): A unique constraint covers the foreign key
CREATE TABLE "fki_unique_children" (
  "id" BIGINT NOT NULL,
  "parent_id" BIGINT NOT NULL,
  "code" VARCHAR(10) NOT NULL,
  CONSTRAINT "pk_fki_unique_children" PRIMARY KEY ("id"),
  CONSTRAINT "uq_fki_unique_children_parent_id_code" UNIQUE ("parent_id", "code"),
  CONSTRAINT "fk_fki_unique_children_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
-- step fki_plain_children (up): Nothing covers the foreign key: it gets its own index
CREATE TABLE "fki_plain_children" (
  "id" BIGINT NOT NULL,
  "parent_id" BIGINT NOT NULL,
  CONSTRAINT "pk_fki_plain_children" PRIMARY KEY ("id"),
  CONSTRAINT "fk_fki_plain_children_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
-- step plain-index (up): An index that covers the foreign key makes its own index redundant
CREATE INDEX "ix_fki_plain_children_parent_id_id" ON "fki_plain_children" ("parent_id", "id");
-- step fki_later (up): A table whose foreign key comes later
CREATE TABLE "fki_later" (
  "id" BIGINT NOT NULL,
  "parent_id" BIGINT NOT NULL,
  CONSTRAINT "pk_fki_later" PRIMARY KEY ("id")
);
-- step later-index (up): Index the column first
CREATE INDEX "ix_fki_later_parent_id" ON "fki_later" ("parent_id");
-- step later-fk (up): Then add the foreign key, which the index covers
ALTER TABLE "fki_later" ADD CONSTRAINT "fk_fki_later_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id");
-- step fki_uncovered (up): An index with the column second does not cover; parent_id last, so PostgreSQL can add it back in place
CREATE TABLE "fki_uncovered" (
  "id" BIGINT NOT NULL,
  "other" BIGINT NOT NULL,
  "parent_id" BIGINT,
  CONSTRAINT "pk_fki_uncovered" PRIMARY KEY ("id"),
  CONSTRAINT "fk_fki_uncovered_parent_id" FOREIGN KEY ("parent_id") REFERENCES "fki_parents" ("id")
);
-- step uncovered-index (up): Index (other, parent_id)
CREATE INDEX "ix_fki_uncovered_other_parent_id" ON "fki_uncovered" ("other", "parent_id");
COMMIT;

-- migration test.fkindex/fki-rows 1.0.0: Rows in every table
-- checksum sha256-v1:3beb38f0291c8b31cfcfe52eb2bae4272548afe3f10230ac4437cb5fcd0cfd6d
BEGIN;
-- step rows (up): Insert parents and children
INSERT INTO fki_parents (id) VALUES (1);
INSERT INTO fki_parents (id) VALUES (2);
INSERT INTO fki_pk_children (parent_id, line) VALUES (1, 1);
INSERT INTO fki_pk_children (parent_id, line) VALUES (1, 2);
INSERT INTO fki_unique_children (id, parent_id, code) VALUES (1, 1, 'a');
INSERT INTO fki_unique_children (id, parent_id, code) VALUES (2, 2, 'a');
INSERT INTO fki_plain_children (id, parent_id) VALUES (1, 2);
INSERT INTO fki_later (id, parent_id) VALUES (1, 1);
INSERT INTO fki_uncovered (id, parent_id, other) VALUES (1, 2, 7);
COMMIT;

-- migration test.fkindex/fki-drops 1.0.0: Drop covers and foreign keys with rows in the tables
-- checksum sha256-v1:e213c8c758886dd6ffda4a5b7b39af760d86deaf3dca4b8acc361ef0edbb3f6d
BEGIN;
-- step drop-plain-index (up): Drop the only cover: the foreign key gets its own index back first
DROP INDEX "ix_fki_plain_children_parent_id_id";
-- step drop-unique (up): Drop the unique constraint that covers a foreign key
ALTER TABLE "fki_unique_children" DROP CONSTRAINT "uq_fki_unique_children_parent_id_code";
-- step drop-later-fk (up): Drop a foreign key that has no index of its own
ALTER TABLE "fki_later" DROP CONSTRAINT "fk_fki_later_parent_id";
-- step drop-uncovered-column (up): Drop a column with a foreign key and an index
DROP INDEX "ix_fki_uncovered_other_parent_id";
ALTER TABLE "fki_uncovered" DROP CONSTRAINT "fk_fki_uncovered_parent_id";
ALTER TABLE "fki_uncovered" DROP COLUMN "parent_id";
COMMIT;
