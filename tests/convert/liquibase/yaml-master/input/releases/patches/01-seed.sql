--liquibase formatted sql

--changeset bob:seed-tags
INSERT INTO tags (id, name) VALUES (1, 'red');
