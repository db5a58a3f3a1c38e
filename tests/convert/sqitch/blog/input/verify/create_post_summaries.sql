-- Verify blog:create_post_summaries on pg

BEGIN;

SELECT 1;

ROLLBACK;
