-- migpkg 0.1.0 plan for mysql (up): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:e7e44dff2433f60c3337d6fac5ab5a15709ba4fb98e82660a8b68c6c79d1e48a
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step regions (up): Create regions
CREATE TABLE `regions` (
  `country` CHAR(2) CHARACTER SET utf8mb4 NOT NULL,
  `code` VARCHAR(10) CHARACTER SET utf8mb4 NOT NULL,
  `name` LONGTEXT CHARACTER SET utf8mb4 NOT NULL,
  CONSTRAINT `pk_regions` PRIMARY KEY (`country`, `code`)
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step teams (up): Create teams
CREATE TABLE `teams` (
  `id` BIGINT NOT NULL,
  `parent_id` BIGINT,
  `country` CHAR(2) CHARACTER SET utf8mb4,
  `region` VARCHAR(10) CHARACTER SET utf8mb4,
  CONSTRAINT `pk_teams` PRIMARY KEY (`id`),
  INDEX `fk_teams_parent_id` (`parent_id`),
  CONSTRAINT `fk_teams_parent_id` FOREIGN KEY (`parent_id`) REFERENCES `teams` (`id`) ON DELETE SET NULL,
  INDEX `fk_teams_country_region` (`country`, `region`),
  CONSTRAINT `fk_teams_country_region` FOREIGN KEY (`country`, `region`) REFERENCES `regions` (`country`, `code`) ON DELETE CASCADE ON UPDATE CASCADE
) DEFAULT CHARACTER SET utf8mb4;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step drop-self (up): Drop the parent link
ALTER TABLE `teams` DROP FOREIGN KEY `fk_teams_parent_id`, DROP INDEX `fk_teams_parent_id`;
