--liquibase formatted sql

--changeset ada:6-hotfix-placeholder
--comment: Hotfix placeholder
-- Nothing to do: the hotfix was applied by hand before 2.0.
--rollback empty
