-- a comment is fine
CREATE TABLE early (id INTEGER);
-- migrate:up
CREATE TABLE t (id INTEGER PRIMARY KEY);
