--liquibase formatted sql

--changeset ada:7-rename-author-name
--comment: Rename author name
ALTER TABLE authors RENAME COLUMN name TO display_name;
--rollback ALTER TABLE authors RENAME COLUMN display_name TO name;

--changeset ada:8-add-post-slug
--comment: Add post slug
ALTER TABLE posts ADD COLUMN slug VARCHAR(220);

-- Backfill: every existing post gets a slug from its title.
UPDATE posts SET slug = lower(replace(title, ' ', '-'));
--rollback ALTER TABLE posts DROP COLUMN slug;

