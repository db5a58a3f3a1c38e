-- Deploy blog:hotfix_placeholder from pg

BEGIN;

-- XXX Add DDLs here.

COMMIT;
