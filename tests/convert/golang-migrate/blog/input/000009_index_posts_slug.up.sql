CREATE INDEX CONCURRENTLY posts_slug_idx ON posts (slug);
