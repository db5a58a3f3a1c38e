CREATE INDEX posts_slug_idx ON posts (slug);
