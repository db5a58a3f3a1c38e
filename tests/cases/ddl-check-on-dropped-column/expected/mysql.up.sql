-- migpkg 0.1.0 plan for mysql (up): 2 migrations

-- migration test.dropcheck/orders 1.0.0: Orders whose checks name their columns only in expressions
-- checksum sha256-v1:b2a3deb8114521186137ab841840f704858fa52e9530fd6047bba3fd4e91ef9e
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step orders (up): Create orders
CREATE TABLE `orders` (
  `id` BIGINT NOT NULL,
  `Total` DECIMAL(10,2) NOT NULL,
  `Discount` DECIMAL(10,2),
  CONSTRAINT `pk_orders` PRIMARY KEY (`id`),
  CONSTRAINT `ck_orders_1` CHECK (`Total` >= 0),
  CONSTRAINT `ck_orders_2` CHECK (`Discount` IS NULL OR `Discount` <= `Total`)
) DEFAULT CHARACTER SET utf8mb4;

-- migration test.dropcheck/orders-drop-discount 1.1.0: Dropping a column takes the check that names it along, and the down brings it back
-- checksum sha256-v1:ccf633b4092b06e551b3e190fdc4200080dc7b4eb1929e76bfe0da8fb434c52c
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-discount (up): Drop the discount
ALTER TABLE `orders` DROP CONSTRAINT `ck_orders_2`;
ALTER TABLE `orders` DROP COLUMN `Discount`;
