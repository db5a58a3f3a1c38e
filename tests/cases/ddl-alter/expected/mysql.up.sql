-- migpkg 0.1.0 plan for mysql (up): 3 migrations

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step customers (up): Create customers
CREATE TABLE `customers` (
  `id` BIGINT NOT NULL,
  `name` VARCHAR(100) CHARACTER SET utf8mb4 NOT NULL,
  CONSTRAINT `pk_customers` PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step contacts (up): Create contacts
CREATE TABLE `contacts` (
  `id` BIGINT NOT NULL,
  `customer_id` BIGINT,
  `email` VARCHAR(100) CHARACTER SET utf8mb4 NOT NULL,
  `phone` VARCHAR(30) CHARACTER SET utf8mb4,
  `score` INT DEFAULT 0,
  `legacy` LONGTEXT CHARACTER SET utf8mb4,
  CONSTRAINT `pk_contacts` PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step legacy-index (up): Index legacy lookups
CREATE INDEX `ix_contacts_phone_email` ON `contacts` (`phone`, `email`);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step emails-view (up): Contact emails
CREATE VIEW `contact_emails` AS SELECT id, email FROM contacts;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step add-col (up): Add nickname
ALTER TABLE `contacts` ADD COLUMN `nickname` VARCHAR(50) CHARACTER SET utf8mb4 DEFAULT 'n/a' COMMENT 'what friends say';
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step add-required (up): Add a required column with a default
ALTER TABLE `contacts` ADD COLUMN `tier` SMALLINT DEFAULT 1 NOT NULL;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step rename-col (up): Rename phone
ALTER TABLE `contacts` RENAME COLUMN `phone` TO `mobile`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step widen (up): Widen score
ALTER TABLE `contacts` MODIFY COLUMN `score` BIGINT DEFAULT 0;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step require-email (up): Default for email
ALTER TABLE `contacts` MODIFY COLUMN `email` VARCHAR(100) CHARACTER SET utf8mb4 DEFAULT 'unknown@example.com' NOT NULL;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step optional-score (up): Score optional, no default
ALTER TABLE `contacts` MODIFY COLUMN `score` BIGINT;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step unique-email (up): Unique email
ALTER TABLE `contacts` ADD CONSTRAINT `uq_contacts_email` UNIQUE (`email`);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step check-score (up): Score not negative
ALTER TABLE `contacts` ADD CONSTRAINT `ck_contacts_39bbf3da` CHECK (`score` >= 0);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step fk (up): Contacts belong to customers
ALTER TABLE `contacts` ADD INDEX `fk_contacts_customer_id` (`customer_id`), ADD CONSTRAINT `fk_contacts_customer_id` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step index (up): Index by customer
CREATE INDEX `ix_contacts_customer_id_email` ON `contacts` (`customer_id`, `email`);
DROP INDEX `fk_contacts_customer_id` ON `contacts`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step unique-index (up): Unique nickname per customer
CREATE UNIQUE INDEX `ux_contacts_customer_id_nickname` ON `contacts` (`customer_id`, `nickname`);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-legacy-index (up): Drop the legacy index
DROP INDEX `ix_contacts_phone_email` ON `contacts`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step table-comment (up): Comment contacts
ALTER TABLE `contacts` COMMENT = 'People at customers';
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step column-comment (up): Comment email
ALTER TABLE `contacts` MODIFY COLUMN `email` VARCHAR(100) CHARACTER SET utf8mb4 DEFAULT 'unknown@example.com' NOT NULL COMMENT 'Work address';
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-col (up): Drop legacy
ALTER TABLE `contacts` DROP COLUMN `legacy`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step rename-table (up): Rename customers to accounts
ALTER TABLE `customers` RENAME TO `accounts`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step view (up): Customer overview
CREATE VIEW `customer_overview` AS SELECT c.id, c.name FROM accounts c;

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-view (up): Drop the overview
DROP VIEW `customer_overview`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-check (up): Drop the score check
ALTER TABLE `contacts` DROP CONSTRAINT `ck_contacts_39bbf3da`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-unique-index (up): Drop the nickname index
DROP INDEX `ux_contacts_customer_id_nickname` ON `contacts`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-tier (up): Drop tier
ALTER TABLE `contacts` DROP COLUMN `tier`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step scratch (up): Scratch table
CREATE TABLE `scratch` (
  `k` VARCHAR(10) CHARACTER SET utf8mb4 NOT NULL,
  `v` LONGTEXT CHARACTER SET utf8mb4,
  CONSTRAINT `pk_scratch` PRIMARY KEY (`k`)
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-scratch (up): Drop it again
DROP TABLE `scratch`;
