-- migpkg 0.1.0 plan for mysql (down): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:e7e44dff2433f60c3337d6fac5ab5a15709ba4fb98e82660a8b68c6c79d1e48a
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-drop-self (down): Undo: Drop the parent link
ALTER TABLE `teams` ADD INDEX `fk_teams_parent_id` (`parent_id`), ADD CONSTRAINT `fk_teams_parent_id` FOREIGN KEY (`parent_id`) REFERENCES `teams` (`id`) ON DELETE SET NULL;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-teams (down): Undo: Create teams
DROP TABLE `teams`;
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-regions (down): Undo: Create regions
DROP TABLE `regions`;
