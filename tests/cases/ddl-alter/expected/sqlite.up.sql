-- migpkg 0.1.0 plan for sqlite (up): 3 migrations

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
BEGIN;
-- step customers (up): Create customers
CREATE TABLE "customers" (
  "id" INTEGER NOT NULL,
  "name" VARCHAR(100) NOT NULL,
  CONSTRAINT "pk_customers" PRIMARY KEY ("id")
);
-- step contacts (up): Create contacts
CREATE TABLE "contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) NOT NULL,
  "phone" VARCHAR(30),
  "score" INTEGER DEFAULT 0,
  "legacy" TEXT,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
-- step legacy-index (up): Index legacy lookups
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("phone", "email");
-- step emails-view (up): Contact emails
CREATE VIEW "contact_emails" AS SELECT id, email FROM contacts;
COMMIT;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
BEGIN;
-- step add-col (up): Add nickname
ALTER TABLE "contacts" ADD COLUMN "nickname" VARCHAR(50) DEFAULT 'n/a';
-- step add-required (up): Add a required column with a default
ALTER TABLE "contacts" ADD COLUMN "tier" INTEGER DEFAULT 1 NOT NULL;
-- step rename-col (up): Rename phone
ALTER TABLE "contacts" RENAME COLUMN "phone" TO "mobile";
-- step widen (up): Widen score
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
-- step require-email (up): Default for email
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
-- step optional-score (up): Score optional, no default
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
-- step unique-email (up): Unique email
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
-- step check-score (up): Score not negative
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
-- step fk (up): Contacts belong to customers
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
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "legacy", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- step index (up): Index by customer
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
-- step unique-index (up): Unique nickname per customer
CREATE UNIQUE INDEX "ux_contacts_customer_id_nickname" ON "contacts" ("customer_id", "nickname");
-- step drop-legacy-index (up): Drop the legacy index
DROP INDEX "ix_contacts_phone_email";
-- step table-comment (up): Comment contacts
-- step column-comment (up): Comment email
-- step drop-col (up): Drop legacy
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
-- step rename-table (up): Rename customers to accounts
ALTER TABLE "customers" RENAME TO "accounts";
-- step view (up): Customer overview
CREATE VIEW "customer_overview" AS SELECT c.id, c.name FROM accounts c;
COMMIT;

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
BEGIN;
-- step drop-view (up): Drop the overview
DROP VIEW "customer_overview";
-- step drop-check (up): Drop the score check
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
  CONSTRAINT "fk_contacts_customer_id" FOREIGN KEY ("customer_id") REFERENCES "accounts" ("id") ON DELETE CASCADE
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "nickname", "tier") SELECT "id", "customer_id", "email", "mobile", "score", "nickname", "tier" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
CREATE UNIQUE INDEX "ux_contacts_customer_id_nickname" ON "contacts" ("customer_id", "nickname");
-- step drop-unique-index (up): Drop the nickname index
DROP INDEX "ux_contacts_customer_id_nickname";
-- step drop-tier (up): Drop tier
CREATE TABLE "migpkg_rebuild_contacts" (
  "id" INTEGER NOT NULL,
  "customer_id" INTEGER,
  "email" VARCHAR(100) DEFAULT 'unknown@example.com' NOT NULL,
  "mobile" VARCHAR(30),
  "score" INTEGER,
  "nickname" VARCHAR(50) DEFAULT 'n/a',
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id"),
  CONSTRAINT "uq_contacts_email" UNIQUE ("email"),
  CONSTRAINT "fk_contacts_customer_id" FOREIGN KEY ("customer_id") REFERENCES "accounts" ("id") ON DELETE CASCADE
);
INSERT INTO "migpkg_rebuild_contacts" ("id", "customer_id", "email", "mobile", "score", "nickname") SELECT "id", "customer_id", "email", "mobile", "score", "nickname" FROM "contacts";
DROP TABLE "contacts";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_contacts" RENAME TO "contacts";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
-- step scratch (up): Scratch table
CREATE TABLE "scratch" (
  "k" VARCHAR(10) NOT NULL,
  "v" TEXT,
  CONSTRAINT "pk_scratch" PRIMARY KEY ("k")
);
-- step drop-scratch (up): Drop it again
DROP TABLE "scratch";
COMMIT;
