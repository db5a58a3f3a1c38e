-- migpkg 0.1.0 plan for mysql (up): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step create-orders (up): Create orders
CREATE TABLE `orders` (
  `id` BIGINT NOT NULL,
  `note` LONGTEXT CHARACTER SET utf8mb4,
  `code` VARCHAR(20) CHARACTER SET utf8mb4,
  `label` VARCHAR(20) CHARACTER SET utf8mb4,
  `qty` BIGINT,
  `small` INT,
  `amount` DECIMAL(12,4),
  `whole` DECIMAL(8,2),
  `ratio` DOUBLE,
  CONSTRAINT `pk_orders` PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step note-200 (up): Text to string(200)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(CHAR_LENGTH(`note`)) FROM `orders` WHERE CHAR_LENGTH(`note`) > 200
ALTER TABLE `orders` MODIFY COLUMN `note` VARCHAR(200) CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step code-char (up): string(20) to char(5)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(CHAR_LENGTH(`code`)) FROM `orders` WHERE CHAR_LENGTH(`code`) > 5
ALTER TABLE `orders` MODIFY COLUMN `code` CHAR(5) CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step label-wider (up): string(20) to string(80): the automatic down narrows
ALTER TABLE `orders` MODIFY COLUMN `label` VARCHAR(80) CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step qty-int32 (up): int64 to int32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN(`qty`), MAX(`qty`) FROM `orders` WHERE `qty` < -2147483648 OR `qty` > 2147483647
ALTER TABLE `orders` MODIFY COLUMN `qty` INT;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step small-int16 (up): int32 to int16
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN(`small`), MAX(`small`) FROM `orders` WHERE `small` < -32768 OR `small` > 32767
ALTER TABLE `orders` MODIFY COLUMN `small` SMALLINT;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step amount-cents (up): decimal(12,4) to decimal(10,2)
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN(`amount`), MAX(`amount`) FROM `orders` WHERE `amount` <> ROUND(`amount`, 2)
ALTER TABLE `orders` MODIFY COLUMN `amount` DECIMAL(10,2);
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step whole-int32 (up): decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN(`whole`), MAX(`whole`) FROM `orders` WHERE `whole` <> ROUND(`whole`, 0)
ALTER TABLE `orders` MODIFY COLUMN `whole` INT;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step ratio-float32 (up): float64 to float32
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN(`ratio`), MAX(`ratio`) FROM `orders` WHERE `ratio` < -3.4028234663852886E+38 OR `ratio` > 3.4028234663852886E+38
ALTER TABLE `orders` MODIFY COLUMN `ratio` FLOAT;
