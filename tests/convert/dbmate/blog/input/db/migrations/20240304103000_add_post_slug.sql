-- migrate:up
ALTER TABLE posts ADD COLUMN slug VARCHAR(220);

-- Backfill: every existing post gets a slug from its title.
UPDATE posts SET slug = lower(replace(title, ' ', '-'));

-- migrate:down
ALTER TABLE posts DROP COLUMN slug;
