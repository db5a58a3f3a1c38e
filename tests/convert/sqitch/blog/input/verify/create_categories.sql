-- Verify blog:create_categories on pg

BEGIN;

SELECT 1;

ROLLBACK;
