-- migrate:up transaction:false
CREATE INDEX posts_slug_idx ON posts (slug);

-- migrate:down transaction:false
DROP INDEX posts_slug_idx;
