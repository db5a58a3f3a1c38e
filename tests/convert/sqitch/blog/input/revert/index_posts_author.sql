-- Revert blog:index_posts_author from pg

BEGIN;

DROP INDEX posts_author_idx;

COMMIT;
