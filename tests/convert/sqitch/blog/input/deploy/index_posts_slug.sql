-- Deploy blog:index_posts_slug from pg
-- No BEGIN/COMMIT: CREATE INDEX runs outside a transaction.

CREATE INDEX posts_slug_idx ON posts (slug);
