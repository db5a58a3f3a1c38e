-- migrate:up
ALTER TABLE posts ADD COLUMN category_id INTEGER;

-- migrate:down
ALTER TABLE posts DROP COLUMN category_id;
