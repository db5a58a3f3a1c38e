-- Revert blog:index_posts_slug from pg
-- No BEGIN/COMMIT: CREATE INDEX runs outside a transaction.

DROP INDEX posts_slug_idx;
