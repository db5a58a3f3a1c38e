-- Revert blog:add_comment_approval from pg

BEGIN;

ALTER TABLE comments DROP COLUMN approved;

COMMIT;
