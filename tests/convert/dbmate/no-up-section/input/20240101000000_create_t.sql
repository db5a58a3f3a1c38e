-- only a down section
-- migrate:down
DROP TABLE t;
