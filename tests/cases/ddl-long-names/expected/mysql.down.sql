-- migpkg 0.1.0 plan for mysql (down): 2 migrations

-- migration test.longnames/long-names-drops 1.0.0: Drop constraints and indexes by their long names
-- checksum sha256-v1:9695a01156971f18328f52f27b89f54c9a290dc9a5e87441205cb57122391ef9
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-check (down): Undo: Drop the check
ALTER TABLE `subscription_renewal_events` ADD CONSTRAINT `ck_subscription_renewal_events_1` CHECK (`renewal_amount` >= 0);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-unique (down): Undo: Drop the unique constraint
ALTER TABLE `subscription_renewal_events` ADD CONSTRAINT `uq_subscription_renewal_events_subscription_plan_code__11d428d0` UNIQUE (`subscription_plan_code`, `billing_account_number`);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-index (down): Undo: Drop the plan index
CREATE INDEX `ix_subscription_renewal_events_subscription_plan_code__da75371f` ON `subscription_renewal_events` (`subscription_plan_code`, `renewal_amount`);

-- migration test.longnames/long-names-tables 1.0.0: Generated names longer than Oracle's 30 characters
-- checksum sha256-v1:aa68d1bcc94a0f48decd4e67a58b0eb2ac060e5d7120e01d60be109fde2af3e9
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-written-name (down): Undo: An index whose written name is 33 characters long
DROP INDEX `renewal_events_by_amount_and_plan` ON `subscription_renewal_events`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-plan-index (down): Undo: Index the events by plan
DROP INDEX `ix_subscription_renewal_events_subscription_plan_code__da75371f` ON `subscription_renewal_events`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-events (down): Undo: Create subscription_renewal_events
DROP TABLE `subscription_renewal_events`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-accounts (down): Undo: Create billing_accounts
DROP TABLE `billing_accounts`;
