-- Revert blog:add_post_slug from pg

BEGIN;

ALTER TABLE posts DROP COLUMN slug;

COMMIT;
