-- Deploy blog:add_post_category from pg

BEGIN;

ALTER TABLE posts ADD COLUMN category_id INTEGER;

COMMIT;
