-- Verify blog:create_comments on pg

BEGIN;

SELECT 1;

ROLLBACK;
