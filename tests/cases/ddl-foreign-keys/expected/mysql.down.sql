-- migpkg 0.1.0 plan for mysql (down): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:c654adc93d5829c5f93a9e1268dddb0fa263f3244c80fb34f8fa490c184dc7d5
BEGIN;
-- step undo-drop-self (down): Undo: Drop the parent link
ALTER TABLE `teams` ADD INDEX `fk_teams_parent_id` (`parent_id`), ADD CONSTRAINT `fk_teams_parent_id` FOREIGN KEY (`parent_id`) REFERENCES `teams` (`id`) ON DELETE SET NULL;
-- step undo-teams (down): Undo: Create teams
DROP TABLE `teams`;
-- step undo-regions (down): Undo: Create regions
DROP TABLE `regions`;
COMMIT;
