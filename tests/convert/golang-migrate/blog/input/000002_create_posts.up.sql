CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title VARCHAR(200) NOT NULL,
  body TEXT
);
