--changeset ada:1
CREATE TABLE t (id INTEGER PRIMARY KEY);
