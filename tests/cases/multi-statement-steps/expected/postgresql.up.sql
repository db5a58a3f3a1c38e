-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.multistatement/ms-notes 1.0.0: Several statements per step
-- checksum sha256-v1:6787513f1ab7c18d713be5196eaf0a1eb6babf626268ecb26a9e735ace66d832
BEGIN;
-- step create-and-seed (up): Create ms_notes, seed it and index it
-- a leading comment; with a semicolon
CREATE TABLE ms_notes (
  id INTEGER PRIMARY KEY,
  body TEXT NOT NULL, -- the note text; may contain ';'
  author VARCHAR(50) DEFAULT 'anon;ymous'
);
INSERT INTO ms_notes (id, body) VALUES (1, 'first; second');
INSERT INTO ms_notes (id, body, author) VALUES (2, 'it''s -- not a comment; really', 'o''brien')
;
/* a block comment; also with a semicolon */
INSERT INTO ms_notes (id, body) VALUES (3, 'plain');
CREATE INDEX ms_notes_author_idx ON ms_notes (author);
-- post check (postValidation, error): SELECT COUNT(*) = 1 FROM ms_notes WHERE body = 'it''s -- not a comment; really' AND author = 'o''brien' AND (SELECT author FROM ms_notes WHERE id = 1) = 'anon;ymous'
-- step second-table (up): Create ms_tags and a view over both tables
CREATE TABLE ms_tags (note_id INTEGER NOT NULL REFERENCES ms_notes (id), tag VARCHAR(20) NOT NULL);
INSERT INTO ms_tags (note_id, tag) VALUES (1, 'a;b'), (2, ';');
CREATE VIEW ms_tagged_notes AS SELECT n.id, n.body, t.tag FROM ms_notes n JOIN ms_tags t ON t.note_id = n.id;
-- post check (postValidation, error): SELECT COUNT(*) = 2 FROM ms_tagged_notes WHERE tag LIKE '%;%'
COMMIT;
