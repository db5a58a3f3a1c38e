-- Verify blog:create_authors on pg

BEGIN;

SELECT 1;

ROLLBACK;
