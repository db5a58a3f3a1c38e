-- migpkg 0.1.0 plan for sqlserver (down): 1 migration

-- migration test.pgonly/partial-index 1.0.0: Partial index and extension
-- checksum sha256-v1:2fb4fffbcd0ebdec20210c1ba8b4447a89ddf281a584aa8d10913b58dd372e6b
BEGIN TRANSACTION;
-- step undo-live-email (down): Undo: Unique email among live users
DROP INDEX [ux_users_email] ON [users];
-- step undo-users (down): Undo: Create users
DROP TABLE [users];
-- step undo-ext (down): Undo: citext for case-insensitive text
COMMIT;
