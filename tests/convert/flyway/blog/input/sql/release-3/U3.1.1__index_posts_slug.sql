DROP INDEX posts_slug_idx;
