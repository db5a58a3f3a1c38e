-- Revert blog:create_post_summaries from pg

BEGIN;

DROP VIEW post_summaries;

COMMIT;
