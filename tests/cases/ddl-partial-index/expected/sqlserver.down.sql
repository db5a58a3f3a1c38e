-- migpkg 0.1.0 plan for sqlserver (down): 1 migration

-- migration test.pgonly/partial-index 1.0.0: Partial index and extension
-- checksum sha256-v1:98d2fae17abeaef2d69b304be2dc7272d7457fa6ac07ac1e846090bf07fea59e
BEGIN TRANSACTION;
-- step undo-live-email (down): Undo: Unique email among live users
DROP INDEX [ux_users_email] ON [users];
-- step undo-users (down): Undo: Create users
DROP TABLE [users];
-- step undo-ext (down): Undo: citext for case-insensitive text
COMMIT;
