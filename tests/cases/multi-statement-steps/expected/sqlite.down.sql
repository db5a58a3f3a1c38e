-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.multistatement/ms-notes 1.0.0: Several statements per step
-- checksum sha256-v1:6787513f1ab7c18d713be5196eaf0a1eb6babf626268ecb26a9e735ace66d832
BEGIN;
-- step drop-all (down): Drop the view and both tables
DROP VIEW ms_tagged_notes;
-- first the view;
DROP TABLE ms_tags;
DROP INDEX ms_notes_author_idx;
DROP TABLE ms_notes;
COMMIT;
