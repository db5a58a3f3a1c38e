-- migpkg 0.1.0 plan for mysql (up): 2 migrations

-- migration test.mixedcase/mixed-case-stock 1.0.0: Checks over mixed-case columns, written once for every dialect
-- checksum sha256-v1:bf5c2901b0a10939f4b21ff54b3b0a34d89ca52603aa24e221b2a6721678fa4c
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step stock (up): Create stock
CREATE TABLE `stock` (
  `id` BIGINT NOT NULL,
  `Quantity` INT NOT NULL,
  `Unit Price` DECIMAL(10,2) NOT NULL,
  `Note` VARCHAR(40) CHARACTER SET utf8mb4 DEFAULT ('it''s new'),
  CONSTRAINT `pk_stock` PRIMARY KEY (`id`),
  CONSTRAINT `ck_stock_1` CHECK (`Quantity` >= 0 -- bare: matched case-insensitively
),
  CONSTRAINT `ck_stock_2` CHECK (`Unit Price` > 0 AND `Quantity` < 1000000),
  CONSTRAINT `ck_stock_3` CHECK (`Note` IS NULL OR (`Note` <> 'C:\\temp' AND length(`Note`) > 1))
) DEFAULT CHARACTER SET utf8mb4;

-- migration test.mixedcase/mixed-case-rename 1.1.0: A column named in checks is renamed, then the table gets another check
-- checksum sha256-v1:95b047bafc682d142885b96815d912fa56791446f18074c17dc4f031ebf1854f
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step rename (up): Quantity becomes On Hand
ALTER TABLE `stock` RENAME COLUMN `Quantity` TO `On Hand`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step limit (up): At most 500 on hand
ALTER TABLE `stock` ADD CONSTRAINT `ck_stock_limit` CHECK (`On Hand` <= 500);
