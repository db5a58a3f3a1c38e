-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.fk/fk-tables 1.0.0: Foreign keys with actions
-- checksum sha256-v1:e7e44dff2433f60c3337d6fac5ab5a15709ba4fb98e82660a8b68c6c79d1e48a
BEGIN;
-- step undo-drop-self (down): Undo: Drop the parent link
ALTER TABLE "teams" ADD CONSTRAINT "fk_teams_parent_id" FOREIGN KEY ("parent_id") REFERENCES "teams" ("id") ON DELETE SET NULL;
-- step undo-teams (down): Undo: Create teams
DROP TABLE "teams";
-- step undo-regions (down): Undo: Create regions
DROP TABLE "regions";
COMMIT;
