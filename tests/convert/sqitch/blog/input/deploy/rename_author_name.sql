-- Deploy blog:rename_author_name from pg

BEGIN;

ALTER TABLE authors RENAME COLUMN name TO display_name;

COMMIT;
