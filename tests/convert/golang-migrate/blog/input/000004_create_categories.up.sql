CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name VARCHAR(50) NOT NULL UNIQUE
);

-- The categories every blog starts with.
INSERT INTO categories (id, name) VALUES (1, 'News'), (2, 'Tutorials'), (3, 'Opinion');
