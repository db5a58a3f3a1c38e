-- migrate:up
CREATE INDEX posts_author_idx ON posts (author_id);

-- migrate:down
DROP INDEX posts_author_idx;
