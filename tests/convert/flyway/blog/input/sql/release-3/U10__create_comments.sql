DROP INDEX comments_post_idx;
DROP TABLE comments;
