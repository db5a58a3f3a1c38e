-- Revert blog:create_authors from pg

BEGIN;

DROP TABLE authors;

COMMIT;
