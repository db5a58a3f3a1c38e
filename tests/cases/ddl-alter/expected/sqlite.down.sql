-- migpkg 0.1.0 plan for sqlite (down): 3 migrations

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
BEGIN;
-- step undo-drop-scratch (down): Undo: Drop it again
CREATE TABLE "scratch" (
  "k" VARCHAR(10) NOT NULL,
  "v" TEXT,
  CONSTRAINT "pk_scratch" PRIMARY KEY ("k")
);
-- step undo-scratch (down): Undo: Scratch table
DROP TABLE "scratch";
-- step undo-drop-tier (down): Undo: Drop tier
ALTER TABLE "contacts" ADD COLUMN "tier" INTEGER DEFAULT 1 NOT NULL;
-- step undo-drop-unique-index (down): Undo: Drop the nickname index
CREATE UNIQUE INDEX "ux_contacts_customer_id_nickname" ON "contacts" ("customer_id", "nickname");
-- step undo-drop-check (down): Undo: Drop the score check
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id"),
  CONSTRAINT "uq_contacts_email" UNIQUE ("email"),
  CONSTRAINT "fk_contacts_customer_id" FOREIGN KEY ("customer_id") REFERENCES "accounts" ("id") ON DELETE CASCADE,
  CONSTRAINT "ck_contacts_39bbf3da" CHECK ("score" >= 0)
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
CREATE UNIQUE INDEX "ux_contacts_customer_id_nickname" ON "contacts" ("customer_id", "nickname");
-- step undo-drop-view (down): Undo: Drop the overview
CREATE VIEW "customer_overview" AS SELECT c.id, c.name FROM accounts c;
COMMIT;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
BEGIN;
-- step undo-view (down): Undo: Customer overview
DROP VIEW "customer_overview";
-- step undo-rename-table (down): Undo: Rename customers to accounts
ALTER TABLE "accounts" RENAME TO "customers";
-- step undo-drop-col (down): Undo: Drop legacy
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id"),
  CONSTRAINT "uq_contacts_email" UNIQUE ("email"),
  CONSTRAINT "ck_contacts_39bbf3da" CHECK ("score" >= 0),
  CONSTRAINT "fk_contacts_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
CREATE UNIQUE INDEX "ux_contacts_customer_id_nickname" ON "contacts" ("customer_id", "nickname");
-- step undo-column-comment (down): Undo: Comment email
-- step undo-table-comment (down): Undo: Comment contacts
-- step undo-drop-legacy-index (down): Undo: Drop the legacy index
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-unique-index (down): Undo: Unique nickname per customer
DROP INDEX "ux_contacts_customer_id_nickname";
-- step undo-index (down): Undo: Index by customer
DROP INDEX "ix_contacts_customer_id_email";
-- step undo-fk (down): Undo: Contacts belong to customers
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id"),
  CONSTRAINT "uq_contacts_email" UNIQUE ("email"),
  CONSTRAINT "ck_contacts_39bbf3da" CHECK ("score" >= 0)
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-check-score (down): Undo: Score not negative
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id"),
  CONSTRAINT "uq_contacts_email" UNIQUE ("email")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-unique-email (down): Undo: Unique email
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-optional-score (down): Undo: Score optional, no default
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-require-email (down): Undo: Default for email
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-widen (down): Undo: Widen score
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("score"), MAX("score") FROM "contacts" WHERE "score" < -2147483648 OR "score" > 2147483647
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  "tier" INTEGER DEFAULT 1 NOT NULL,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step undo-rename-col (down): Undo: Rename phone
ALTER TABLE "contacts" RENAME COLUMN "mobile" TO "phone";
-- step undo-add-required (down): Undo: Add a required column with a default
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) NOT NULL,
  "phone" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "phone", "score", "legacy", "nickname") SELECT "id", "customer_id", "email", "phone", "score", "legacy", "nickname" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("phone", "email");
-- step undo-add-col (down): Undo: Add nickname
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) NOT NULL,
  "phone" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "phone", "score", "legacy") SELECT "id", "customer_id", "email", "phone", "score", "legacy" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("phone", "email");
COMMIT;

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
BEGIN;
-- step undo-emails-view (down): Undo: Contact emails
DROP VIEW "contact_emails";
-- step undo-legacy-index (down): Undo: Index legacy lookups
DROP INDEX "ix_contacts_phone_email";
-- step undo-contacts (down): Undo: Create contacts
DROP TABLE "contacts";
-- step undo-customers (down): Undo: Create customers
DROP TABLE "customers";
COMMIT;
