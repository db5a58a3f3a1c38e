-- Revert blog:create_posts from pg

BEGIN;

DROP TABLE posts;

COMMIT;
