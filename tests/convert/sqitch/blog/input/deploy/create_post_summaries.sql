-- Deploy blog:create_post_summaries from pg

BEGIN;

CREATE VIEW post_summaries AS
  SELECT p.id, p.title, p.slug, a.display_name AS author, c.name AS category
  FROM posts p
  JOIN authors a ON a.id = p.author_id
  LEFT JOIN categories c ON c.id = p.category_id;

COMMIT;
