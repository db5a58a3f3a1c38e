-- migpkg 0.1.0 plan for sqlite (down): 2 migrations

-- migration test.longnames/long-names-drops 1.0.0: Drop constraints and indexes by their long names
-- checksum sha256-v1:9695a01156971f18328f52f27b89f54c9a290dc9a5e87441205cb57122391ef9
BEGIN;
-- step undo-drop-check (down): Undo: Drop the check
CREATE TABLE "migpkg_rebuild_subscription_renewal_events" (
  "id" INTEGER NOT NULL,
  "subscription_plan_code" VARCHAR(20) NOT NULL,
  "billing_account_number" VARCHAR(20) NOT NULL,
  "renewal_amount" NUMERIC(10,2) NOT NULL,
  CONSTRAINT "pk_subscription_renewal_events" PRIMARY KEY ("id"),
  CONSTRAINT "fk_subscription_renewal_events_billing_account_number" FOREIGN KEY ("billing_account_number") REFERENCES "billing_accounts" ("account_number"),
  CONSTRAINT "ck_subscription_renewal_events_1" CHECK ("renewal_amount" >= 0)
);
INSERT INTO "migpkg_rebuild_subscription_renewal_events" ("id", "subscription_plan_code", "billing_account_number", "renewal_amount") SELECT "id", "subscription_plan_code", "billing_account_number", "renewal_amount" FROM "subscription_renewal_events";
DROP TABLE "subscription_renewal_events";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_subscription_renewal_events" RENAME TO "subscription_renewal_events";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "renewal_events_by_amount_and_plan" ON "subscription_renewal_events" ("renewal_amount");
-- step undo-drop-unique (down): Undo: Drop the unique constraint
CREATE TABLE "migpkg_rebuild_subscription_renewal_events" (
  "id" INTEGER NOT NULL,
  "subscription_plan_code" VARCHAR(20) NOT NULL,
  "billing_account_number" VARCHAR(20) NOT NULL,
  "renewal_amount" NUMERIC(10,2) NOT NULL,
  CONSTRAINT "pk_subscription_renewal_events" PRIMARY KEY ("id"),
  CONSTRAINT "fk_subscription_renewal_events_billing_account_number" FOREIGN KEY ("billing_account_number") REFERENCES "billing_accounts" ("account_number"),
  CONSTRAINT "ck_subscription_renewal_events_1" CHECK ("renewal_amount" >= 0),
  CONSTRAINT "uq_subscription_renewal_events_subscription_plan_code__11d428d0" UNIQUE ("subscription_plan_code", "billing_account_number")
);
INSERT INTO "migpkg_rebuild_subscription_renewal_events" ("id", "subscription_plan_code", "billing_account_number", "renewal_amount") SELECT "id", "subscription_plan_code", "billing_account_number", "renewal_amount" FROM "subscription_renewal_events";
DROP TABLE "subscription_renewal_events";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "migpkg_rebuild_subscription_renewal_events" RENAME TO "subscription_renewal_events";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "renewal_events_by_amount_and_plan" ON "subscription_renewal_events" ("renewal_amount");
-- step undo-drop-index (down): Undo: Drop the plan index
CREATE INDEX "ix_subscription_renewal_events_subscription_plan_code__da75371f" ON "subscription_renewal_events" ("subscription_plan_code", "renewal_amount");
COMMIT;

-- migration test.longnames/long-names-tables 1.0.0: Generated names longer than Oracle's 30 characters
-- checksum sha256-v1:aa68d1bcc94a0f48decd4e67a58b0eb2ac060e5d7120e01d60be109fde2af3e9
BEGIN;
-- step undo-written-name (down): Undo: An index whose written name is 33 characters long
DROP INDEX "renewal_events_by_amount_and_plan";
-- step undo-plan-index (down): Undo: Index the events by plan
DROP INDEX "ix_subscription_renewal_events_subscription_plan_code__da75371f";
-- step undo-events (down): Undo: Create subscription_renewal_events
DROP TABLE "subscription_renewal_events";
-- step undo-accounts (down): Undo: Create billing_accounts
DROP TABLE "billing_accounts";
COMMIT;
