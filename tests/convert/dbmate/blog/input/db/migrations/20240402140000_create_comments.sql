-- migrate:up
CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts (id),
  author_name VARCHAR(100) NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX comments_post_idx ON comments (post_id);

-- migrate:down
DROP INDEX comments_post_idx;
DROP TABLE comments;
