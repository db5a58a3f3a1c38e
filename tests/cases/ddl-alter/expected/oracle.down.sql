-- migpkg 0.1.0 plan for oracle (down): 3 migrations

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-scratch (down): Undo: Drop it again
CREATE TABLE "scratch" (
  "k" VARCHAR2(10 CHAR) NOT NULL,
  "v" CLOB,
  CONSTRAINT "pk_scratch" PRIMARY KEY ("k")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-scratch (down): Undo: Scratch table
DROP TABLE "scratch";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-tier (down): Undo: Drop tier
ALTER TABLE "contacts" ADD "tier" NUMBER(5) DEFAULT 1 NOT NULL;
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-unique-index (down): Undo: Drop the nickname index
CREATE UNIQUE INDEX "ux_contacts_customer__0167a034" ON "contacts" ("customer_id", "nickname");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-check (down): Undo: Drop the score check
ALTER TABLE "contacts" ADD CONSTRAINT "ck_contacts_39bbf3da" CHECK ("score" >= 0);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-view (down): Undo: Drop the overview
CREATE VIEW "customer_overview" AS SELECT c.id, c.name FROM accounts c;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-view (down): Undo: Customer overview
DROP VIEW "customer_overview";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-rename-table (down): Undo: Rename customers to accounts
ALTER TABLE "accounts" RENAME TO "customers";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-col (down): Undo: Drop legacy
ALTER TABLE "contacts" ADD "legacy" CLOB;
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-column-comment (down): Undo: Comment email
COMMENT ON COLUMN "contacts"."email" IS '';
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-table-comment (down): Undo: Comment contacts
COMMENT ON TABLE "contacts" IS '';
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-legacy-index (down): Undo: Drop the legacy index
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("mobile", "email");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-unique-index (down): Undo: Unique nickname per customer
DROP INDEX "ux_contacts_customer__0167a034";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-index (down): Undo: Index by customer
DROP INDEX "ix_contacts_customer_id_email";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-fk (down): Undo: Contacts belong to customers
ALTER TABLE "contacts" DROP CONSTRAINT "fk_contacts_customer_id";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-check-score (down): Undo: Score not negative
ALTER TABLE "contacts" DROP CONSTRAINT "ck_contacts_39bbf3da";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-unique-email (down): Undo: Unique email
ALTER TABLE "contacts" DROP CONSTRAINT "uq_contacts_email";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-optional-score (down): Undo: Score optional, no default
ALTER TABLE "contacts" MODIFY ("score" NULL);
ALTER TABLE "contacts" MODIFY ("score" DEFAULT 0);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-require-email (down): Undo: Default for email
ALTER TABLE "contacts" MODIFY ("email" DEFAULT NULL);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-widen (down): Undo: Widen score
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN("score"), MAX("score") FROM "contacts" WHERE "score" < -2147483648 OR "score" > 2147483647
ALTER TABLE "contacts" MODIFY ("score" NUMBER(10));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-rename-col (down): Undo: Rename phone
ALTER TABLE "contacts" RENAME COLUMN "mobile" TO "phone";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-add-required (down): Undo: Add a required column with a default
ALTER TABLE "contacts" DROP COLUMN "tier";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-add-col (down): Undo: Add nickname
ALTER TABLE "contacts" DROP COLUMN "nickname";

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-emails-view (down): Undo: Contact emails
DROP VIEW "contact_emails";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-legacy-index (down): Undo: Index legacy lookups
DROP INDEX "ix_contacts_phone_email";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-contacts (down): Undo: Create contacts
DROP TABLE "contacts";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-customers (down): Undo: Create customers
DROP TABLE "customers";
