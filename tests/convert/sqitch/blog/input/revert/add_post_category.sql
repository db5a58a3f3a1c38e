-- Revert blog:add_post_category from pg

BEGIN;

ALTER TABLE posts DROP COLUMN category_id;

COMMIT;
