-- migpkg 0.1.0 plan for sqlserver (up): 1 migration

-- migration test.pgonly/partial-index 1.0.0: Partial index and extension
-- checksum sha256-v1:2fb4fffbcd0ebdec20210c1ba8b4447a89ddf281a584aa8d10913b58dd372e6b
BEGIN TRANSACTION;
-- step ext (up): citext for case-insensitive text
-- step users (up): Create users
CREATE TABLE [users] (
  [id] BIGINT NOT NULL,
  [email] NVARCHAR(200) NOT NULL,
  [deleted] BIT DEFAULT 0 NOT NULL,
  CONSTRAINT [pk_users] PRIMARY KEY ([id])
);
-- step live-email (up): Unique email among live users
CREATE UNIQUE INDEX [ux_users_email] ON [users] ([email]) WHERE [deleted] = FALSE;
COMMIT;
