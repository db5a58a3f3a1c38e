ALTER TABLE comments ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;

-- Backfill: comments written by the blog's own authors are approved.
UPDATE comments SET approved = 1 WHERE author_name IN (SELECT display_name FROM authors);
