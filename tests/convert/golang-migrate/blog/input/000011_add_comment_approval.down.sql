ALTER TABLE comments DROP COLUMN approved;
