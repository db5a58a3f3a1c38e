-- Revert blog:rename_author_name from pg

BEGIN;

ALTER TABLE authors RENAME COLUMN display_name TO name;

COMMIT;
