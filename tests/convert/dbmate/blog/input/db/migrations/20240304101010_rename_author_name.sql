-- migrate:up
ALTER TABLE authors RENAME COLUMN name TO display_name;

-- migrate:down
ALTER TABLE authors RENAME COLUMN display_name TO name;
