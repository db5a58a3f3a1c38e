-- Revert blog:create_categories from pg

BEGIN;

DROP TABLE categories;

COMMIT;
