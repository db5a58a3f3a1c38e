-- migpkg 0.1.0 plan for sqlserver (up): 3 migrations

-- migration test.alter/alter-base 1.0.0: Customers and contacts
-- checksum sha256-v1:5701536c36f0a8a1a21c39b61ed065758c6d53bfefc6334acf57b11aaa6d7369
BEGIN TRANSACTION;
-- step customers (up): Create customers
CREATE TABLE [customers] (
  [id] BIGINT NOT NULL,
  [name] NVARCHAR(100) NOT NULL,
  CONSTRAINT [pk_customers] PRIMARY KEY ([id])
);
-- step contacts (up): Create contacts
CREATE TABLE [contacts] (
  [id] BIGINT NOT NULL,
  [customer_id] BIGINT,
  [email] NVARCHAR(100) NOT NULL,
  [phone] NVARCHAR(30),
  [score] INT DEFAULT 0,
  [legacy] NVARCHAR(MAX),
  CONSTRAINT [pk_contacts] PRIMARY KEY ([id])
);
-- step legacy-index (up): Index legacy lookups
CREATE INDEX [ix_contacts_phone_email] ON [contacts] ([phone], [email]);
-- step emails-view (up): Contact emails
CREATE VIEW [contact_emails] AS SELECT id, email FROM contacts;
COMMIT;

-- migration test.alter/alter-changes 1.1.0: Every kind of alteration
-- checksum sha256-v1:9137e2a7fe4c05fadee614e128a1d7ccdc01952520ff00a60d66c9a0e5dac777
BEGIN TRANSACTION;
-- step add-col (up): Add nickname
ALTER TABLE [contacts] ADD [nickname] NVARCHAR(50) DEFAULT N'n/a';
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'what friends say', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'contacts', @level2type = N'COLUMN', @level2name = N'nickname';
-- step add-required (up): Add a required column with a default
ALTER TABLE [contacts] ADD [tier] SMALLINT DEFAULT 1 NOT NULL;
-- step rename-col (up): Rename phone
EXEC sp_rename N'[contacts].[phone]', N'mobile', N'COLUMN';
-- step widen (up): Widen score
ALTER TABLE [contacts] ALTER COLUMN [score] BIGINT NULL;
-- step require-email (up): Default for email
EXEC(N'DECLARE @drop NVARCHAR(MAX) = N''''; SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''email'', ''ColumnId''); EXEC sp_executesql @drop');
ALTER TABLE [contacts] ADD DEFAULT N'unknown@example.com' FOR [email];
-- step optional-score (up): Score optional, no default
ALTER TABLE [contacts] ALTER COLUMN [score] BIGINT NULL;
EXEC(N'DECLARE @drop NVARCHAR(MAX) = N''''; SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''score'', ''ColumnId''); EXEC sp_executesql @drop');
-- step unique-email (up): Unique email
ALTER TABLE [contacts] ADD CONSTRAINT [uq_contacts_email] UNIQUE ([email]);
-- step check-score (up): Score not negative
ALTER TABLE [contacts] ADD CONSTRAINT [ck_contacts_39bbf3da] CHECK ([score] >= 0);
-- step fk (up): Contacts belong to customers
ALTER TABLE [contacts] ADD CONSTRAINT [fk_contacts_customer_id] FOREIGN KEY ([customer_id]) REFERENCES [customers] ([id]) ON DELETE CASCADE;
-- step index (up): Index by customer
CREATE INDEX [ix_contacts_customer_id_email] ON [contacts] ([customer_id], [email]);
-- step unique-index (up): Unique nickname per customer
CREATE UNIQUE INDEX [ux_contacts_customer_id_nickname] ON [contacts] ([customer_id], [nickname]);
-- step drop-legacy-index (up): Drop the legacy index
DROP INDEX [ix_contacts_phone_email] ON [contacts];
-- step table-comment (up): Comment contacts
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'People at customers', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'contacts';
-- step column-comment (up): Comment email
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Work address', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'contacts', @level2type = N'COLUMN', @level2name = N'email';
-- step drop-col (up): Drop legacy
EXEC(N'DECLARE @drop NVARCHAR(MAX) = N''''; SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''legacy'', ''ColumnId''); SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.check_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''legacy'', ''ColumnId''); EXEC sp_executesql @drop');
ALTER TABLE [contacts] DROP COLUMN [legacy];
-- step rename-table (up): Rename customers to accounts
EXEC sp_rename N'customers', N'accounts';
-- step view (up): Customer overview
CREATE VIEW [customer_overview] AS SELECT c.id, c.name FROM accounts c;
COMMIT;

-- migration test.alter/alter-drops 1.2.0: Drops that the automatic down recreates
-- checksum sha256-v1:7917216340913906df674d6faf27a7c2a27519c430ad0a0c290827fdca56f444
BEGIN TRANSACTION;
-- step drop-view (up): Drop the overview
DROP VIEW [customer_overview];
-- step drop-check (up): Drop the score check
ALTER TABLE [contacts] DROP CONSTRAINT [ck_contacts_39bbf3da];
-- step drop-unique-index (up): Drop the nickname index
DROP INDEX [ux_contacts_customer_id_nickname] ON [contacts];
-- step drop-tier (up): Drop tier
EXEC(N'DECLARE @drop NVARCHAR(MAX) = N''''; SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''tier'', ''ColumnId''); SELECT @drop = @drop + N''ALTER TABLE [contacts] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.check_constraints WHERE parent_object_id = OBJECT_ID(N''[contacts]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[contacts]''), N''tier'', ''ColumnId''); EXEC sp_executesql @drop');
ALTER TABLE [contacts] DROP COLUMN [tier];
-- step scratch (up): Scratch table
CREATE TABLE [scratch] (
  [k] NVARCHAR(10) NOT NULL,
  [v] NVARCHAR(MAX),
  CONSTRAINT [pk_scratch] PRIMARY KEY ([k])
);
-- step drop-scratch (up): Drop it again
DROP TABLE [scratch];
COMMIT;
