--liquibase formatted sql

--changeset ada:create-tags
--comment: Tags
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
--rollback DROP TABLE tags;
