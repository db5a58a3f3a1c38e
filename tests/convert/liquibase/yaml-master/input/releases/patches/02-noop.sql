--liquibase formatted sql

--changeset bob:noop
--rollback not required
