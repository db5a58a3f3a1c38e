ALTER TABLE authors RENAME COLUMN display_name TO name;
