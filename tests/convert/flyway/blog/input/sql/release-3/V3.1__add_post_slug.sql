ALTER TABLE posts ADD COLUMN slug VARCHAR(220);

-- Backfill: every existing post gets a slug from its title.
UPDATE posts SET slug = lower(replace(title, ' ', '-'));
