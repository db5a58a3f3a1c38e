--liquibase formatted sql

--changeset ada:1
CREATE TABLE t (id INTEGER PRIMARY KEY);
--rollback DROP TABLE t;

--changeset ada:2 runAlways:true
DELETE FROM t;
