-- migrate:up
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255)
);

-- migrate:down
DROP TABLE authors;
