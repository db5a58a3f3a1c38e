-- migpkg 0.1.0 plan for postgresql (up): 2 migrations

-- migration test.longnames/long-names-tables 1.0.0: Generated names longer than Oracle's 30 characters
-- checksum sha256-v1:aa68d1bcc94a0f48decd4e67a58b0eb2ac060e5d7120e01d60be109fde2af3e9
BEGIN;
-- step accounts (up): Create billing_accounts
CREATE TABLE "billing_accounts" (
  "account_number" VARCHAR(20) NOT NULL,
  CONSTRAINT "pk_billing_accounts" PRIMARY KEY ("account_number")
);
-- step events (up): Create subscription_renewal_events
CREATE TABLE "subscription_renewal_events" (
  "id" BIGINT NOT NULL,
  "subscription_plan_code" VARCHAR(20) NOT NULL,
  "billing_account_number" VARCHAR(20) NOT NULL,
  "renewal_amount" NUMERIC(10,2) NOT NULL,
  CONSTRAINT "pk_subscription_renewal_events" PRIMARY KEY ("id"),
  CONSTRAINT "uq_subscription_renewal_events_subscription_plan_code__11d428d0" UNIQUE ("subscription_plan_code", "billing_account_number"),
  CONSTRAINT "fk_subscription_renewal_events_billing_account_number" FOREIGN KEY ("billing_account_number") REFERENCES "billing_accounts" ("account_number"),
  CONSTRAINT "ck_subscription_renewal_events_1" CHECK ("renewal_amount" >= 0)
);
-- step plan-index (up): Index the events by plan
CREATE INDEX "ix_subscription_renewal_events_subscription_plan_code__da75371f" ON "subscription_renewal_events" ("subscription_plan_code", "renewal_amount");
-- step written-name (up): An index whose written name is 33 characters long
CREATE INDEX "renewal_events_by_amount_and_plan" ON "subscription_renewal_events" ("renewal_amount");
COMMIT;

-- migration test.longnames/long-names-drops 1.0.0: Drop constraints and indexes by their long names
-- checksum sha256-v1:9695a01156971f18328f52f27b89f54c9a290dc9a5e87441205cb57122391ef9
BEGIN;
-- step drop-index (up): Drop the plan index
DROP INDEX "ix_subscription_renewal_events_subscription_plan_code__da75371f";
-- step drop-unique (up): Drop the unique constraint
ALTER TABLE "subscription_renewal_events" DROP CONSTRAINT "uq_subscription_renewal_events_subscription_plan_code__11d428d0";
-- step drop-check (up): Drop the check
ALTER TABLE "subscription_renewal_events" DROP CONSTRAINT "ck_subscription_renewal_events_1";
COMMIT;
