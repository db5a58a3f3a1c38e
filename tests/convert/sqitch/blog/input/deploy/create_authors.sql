-- Deploy blog:create_authors from pg

BEGIN;

CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(255)
);

COMMIT;
