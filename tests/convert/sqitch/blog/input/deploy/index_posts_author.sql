-- Deploy blog:index_posts_author from pg

BEGIN;

CREATE INDEX posts_author_idx ON posts (author_id);

COMMIT;
