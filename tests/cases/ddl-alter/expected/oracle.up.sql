-- migpkg 0.1.0 plan for oracle (up): 3 migrations

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step customers (up): Create customers
CREATE TABLE "customers" (
  "id" NUMBER(19) NOT NULL,
  "name" VARCHAR2(100 CHAR) NOT NULL,
  CONSTRAINT "pk_customers" PRIMARY KEY ("id")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step contacts (up): Create contacts
CREATE TABLE "contacts" (
  "id" NUMBER(19) NOT NULL,
  "customer_id" NUMBER(19),
  "email" VARCHAR2(100 CHAR) NOT NULL,
  "phone" VARCHAR2(30 CHAR),
  "score" NUMBER(10) DEFAULT 0,
  "legacy" CLOB,
  CONSTRAINT "pk_contacts" PRIMARY KEY ("id")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step legacy-index (up): Index legacy lookups
CREATE INDEX "ix_contacts_phone_email" ON "contacts" ("phone", "email");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step emails-view (up): Contact emails
CREATE VIEW "contact_emails" AS SELECT id, email FROM contacts;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step add-col (up): Add nickname
ALTER TABLE "contacts" ADD "nickname" VARCHAR2(50 CHAR) DEFAULT 'n/a';
COMMENT ON COLUMN "contacts"."nickname" IS 'what friends say';
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step add-required (up): Add a required column with a default
ALTER TABLE "contacts" ADD "tier" NUMBER(5) DEFAULT 1 NOT NULL;
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step rename-col (up): Rename phone
ALTER TABLE "contacts" RENAME COLUMN "phone" TO "mobile";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step widen (up): Widen score
ALTER TABLE "contacts" MODIFY ("score" NUMBER(19));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step require-email (up): Default for email
ALTER TABLE "contacts" MODIFY ("email" DEFAULT 'unknown@example.com');
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step optional-score (up): Score optional, no default
ALTER TABLE "contacts" MODIFY ("score" NULL);
ALTER TABLE "contacts" MODIFY ("score" DEFAULT NULL);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step unique-email (up): Unique email
ALTER TABLE "contacts" ADD CONSTRAINT "uq_contacts_email" UNIQUE ("email");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step check-score (up): Score not negative
ALTER TABLE "contacts" ADD CONSTRAINT "ck_contacts_39bbf3da" CHECK ("score" >= 0);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step fk (up): Contacts belong to customers
ALTER TABLE "contacts" ADD CONSTRAINT "fk_contacts_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE;
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step index (up): Index by customer
CREATE INDEX "ix_contacts_customer_id_email" ON "contacts" ("customer_id", "email");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step unique-index (up): Unique nickname per customer
CREATE UNIQUE INDEX "ux_contacts_customer__0167a034" ON "contacts" ("customer_id", "nickname");
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-legacy-index (up): Drop the legacy index
DROP INDEX "ix_contacts_phone_email";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step table-comment (up): Comment contacts
COMMENT ON TABLE "contacts" IS 'People at customers';
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step column-comment (up): Comment email
COMMENT ON COLUMN "contacts"."email" IS 'Work address';
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-col (up): Drop legacy
ALTER TABLE "contacts" DROP COLUMN "legacy";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step rename-table (up): Rename customers to accounts
ALTER TABLE "customers" RENAME TO "accounts";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step view (up): Customer overview
CREATE VIEW "customer_overview" AS SELECT c.id, c.name FROM accounts c;

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-view (up): Drop the overview
DROP VIEW "customer_overview";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-check (up): Drop the score check
ALTER TABLE "contacts" DROP CONSTRAINT "ck_contacts_39bbf3da";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-unique-index (up): Drop the nickname index
DROP INDEX "ux_contacts_customer__0167a034";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-tier (up): Drop tier
ALTER TABLE "contacts" DROP COLUMN "tier";
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step scratch (up): Scratch table
CREATE TABLE "scratch" (
  "k" VARCHAR2(10 CHAR) NOT NULL,
  "v" CLOB,
  CONSTRAINT "pk_scratch" PRIMARY KEY ("k")
);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop-scratch (up): Drop it again
DROP TABLE "scratch";
