--liquibase formatted sql

--changeset ada:9-index-posts-slug runInTransaction:false
--comment: Index posts by slug
CREATE INDEX posts_slug_idx ON posts (slug);
--rollback DROP INDEX posts_slug_idx;

--changeset ada:10-create-comments
--comment: Create comments
CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts (id),
  author_name VARCHAR(100) NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX comments_post_idx ON comments (post_id);
/* liquibase rollback
DROP INDEX comments_post_idx;
DROP TABLE comments;
*/

--changeset ada:11-add-comment-approval
--comment: Add comment approval
ALTER TABLE comments ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;

-- Backfill: comments written by the blog's own authors are approved.
UPDATE comments SET approved = 1 WHERE author_name IN (SELECT display_name FROM authors);
--rollback ALTER TABLE comments DROP COLUMN approved;

--changeset ada:12-create-post-summaries
--comment: Create post summaries view
CREATE VIEW post_summaries AS
  SELECT p.id, p.title, p.slug, a.display_name AS author, c.name AS category
  FROM posts p
  JOIN authors a ON a.id = p.author_id
  LEFT JOIN categories c ON c.id = p.category_id;
--rollback DROP VIEW post_summaries;

