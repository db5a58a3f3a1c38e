--liquibase formatted sql

--changeset ada:1-create-authors
--comment: Create authors
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255)
);
--rollback DROP TABLE authors;

--changeset ada:2-create-posts
--comment: Create posts
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title VARCHAR(200) NOT NULL,
  body TEXT
);
--rollback DROP TABLE posts;

--changeset ada:3-index-posts-author
--comment: Index posts by author
CREATE INDEX posts_author_idx ON posts (author_id);
--rollback DROP INDEX posts_author_idx;

