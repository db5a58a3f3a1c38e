-- migrate:up transaction:maybe
CREATE TABLE t (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE t;
