-- migpkg 0.1.0 plan for mysql (up): 2 migrations

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:beea7dc821a0957c39c8d39e19b73a6edb0b44f5a3e810db8391a3c88d564742
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step create-order (up): Create order
CREATE TABLE `order` (
  `id` BIGINT AUTO_INCREMENT NOT NULL,
  `flag` BOOLEAN DEFAULT TRUE NOT NULL,
  `small` SMALLINT DEFAULT -1,
  `medium` INT,
  `big` BIGINT DEFAULT 9007199254740993,
  `amount` DECIMAL(10,2) DEFAULT 0.5 NOT NULL,
  `ratio` FLOAT,
  `precise` DOUBLE,
  `notes` LONGTEXT CHARACTER SET utf8mb4 DEFAULT ('it''s \\ here'),
  `code` VARCHAR(20) CHARACTER SET utf8mb4 DEFAULT 'o''clock' NOT NULL,
  `country` CHAR(2) CHARACTER SET utf8mb4,
  `payload` LONGBLOB,
  `ref` CHAR(36) DEFAULT (UUID()) COMMENT 'migpkg:uuid',
  `meta` JSON DEFAULT ('{"ok":true,"tags":["a","b"]}'),
  `day` DATE,
  `at` DATETIME(6),
  `created` DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL COMMENT 'migpkg:timestamptz',
  `status` ENUM('new', 'shipped', 'it''s') CHARACTER SET utf8mb4 DEFAULT 'new' NOT NULL,
  `select` INT DEFAULT (1 + 1) COMMENT 'a column named select',
  CONSTRAINT `pk_order` PRIMARY KEY (`id`),
  CONSTRAINT `uq_order_code` UNIQUE (`code`),
  CONSTRAINT `ck_order_1` CHECK (`amount` >= 0)
) DEFAULT CHARACTER SET utf8mb4 COMMENT = 'Orders: the customer''s';

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:23c79dd1bd1d15135e2c1341f3f6717ad6eaadfbe9caf0730949ecce11256dba
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step create-tickets (up): Create tickets
CREATE TABLE `tickets` (
  `id` INT AUTO_INCREMENT NOT NULL,
  `title` VARCHAR(200) CHARACTER SET utf8mb4 NOT NULL,
  CONSTRAINT `tickets_key` PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4;
