-- migpkg 0.1.0 plan for mysql (up): 2 migrations

-- migration test.unicode/unicode-people 1.0.0: Character columns that hold any Unicode text
-- checksum sha256-v1:73a13dc9767ae5219a075be707ffe877ac092f477ff615b0036332e5d4d94d92
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step people (up): Create ut_people
CREATE TABLE `ut_people` (
  `id` BIGINT NOT NULL,
  `name` VARCHAR(40) CHARACTER SET utf8mb4 NOT NULL,
  `initials` CHAR(4) CHARACTER SET utf8mb4,
  `bio` LONGTEXT CHARACTER SET utf8mb4,
  `mood` ENUM('ok', 'żółw', '🎉') CHARACTER SET utf8mb4 DEFAULT 'ok',
  CONSTRAINT `pk_ut_people` PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4;

-- migration test.unicode/unicode-changes 1.0.0: Add and change character columns
-- checksum sha256-v1:25587b07317fb804180a5ec231a6e5775dee4c5d07f0c0eb564680d0ece13314
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step nickname (up): Add a nickname
ALTER TABLE `ut_people` ADD COLUMN `nickname` VARCHAR(30) CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step longer-name (up): Make the name longer
ALTER TABLE `ut_people` MODIFY COLUMN `name` VARCHAR(80) CHARACTER SET utf8mb4 NOT NULL;
