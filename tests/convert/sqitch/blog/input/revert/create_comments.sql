-- Revert blog:create_comments from pg

BEGIN;

DROP INDEX comments_post_idx;
DROP TABLE comments;

COMMIT;
