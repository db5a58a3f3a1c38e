--liquibase formatted sql

--changeset ada:4-create-categories
--comment: Create categories
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name VARCHAR(50) NOT NULL UNIQUE
);

-- The categories every blog starts with.
INSERT INTO categories (id, name) VALUES (1, 'News'), (2, 'Tutorials'), (3, 'Opinion');
/* liquibase rollback
DROP TABLE categories;
*/

--changeset ada:5-add-post-category
--comment: Add post category
ALTER TABLE posts ADD COLUMN category_id INTEGER;
--rollback ALTER TABLE posts DROP COLUMN category_id;
