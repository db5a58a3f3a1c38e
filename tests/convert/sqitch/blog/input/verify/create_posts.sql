-- Verify blog:create_posts on pg

BEGIN;

SELECT 1;

ROLLBACK;
