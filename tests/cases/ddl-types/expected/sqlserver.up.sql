-- migpkg 0.1.0 plan for sqlserver (up): 2 migrations

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:beea7dc821a0957c39c8d39e19b73a6edb0b44f5a3e810db8391a3c88d564742
BEGIN TRANSACTION;
-- step create-order (up): Create order
CREATE TABLE [order] (
  [id] BIGINT IDENTITY(1,1) NOT NULL,
  [flag] BIT DEFAULT 1 NOT NULL,
  [small] SMALLINT DEFAULT -1,
  [medium] INT,
  [big] BIGINT DEFAULT 9007199254740993,
  [amount] DECIMAL(10,2) DEFAULT 0.5 NOT NULL,
  [ratio] REAL,
  [precise] FLOAT(53),
  [notes] NVARCHAR(MAX) DEFAULT N'it''s \ here',
  [code] NVARCHAR(20) DEFAULT N'o''clock' NOT NULL,
  [country] NCHAR(2),
  [payload] VARBINARY(MAX),
  [ref] UNIQUEIDENTIFIER DEFAULT NEWID(),
  [meta] NVARCHAR(MAX) DEFAULT N'{"ok":true,"tags":["a","b"]}',
  [day] DATE,
  [at] DATETIME2,
  [created] DATETIMEOFFSET DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  [status] NVARCHAR(7) DEFAULT N'new' NOT NULL CHECK ([status] IN (N'new', N'shipped', N'it''s')),
  [select] INT DEFAULT (1 + 1),
  CONSTRAINT [pk_order] PRIMARY KEY ([id]),
  CONSTRAINT [uq_order_code] UNIQUE ([code]),
  CONSTRAINT [ck_order_1] CHECK ([amount] >= 0)
);
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Orders: the customer''s', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'order';
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'a column named select', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'order', @level2type = N'COLUMN', @level2name = N'select';
COMMIT;

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:23c79dd1bd1d15135e2c1341f3f6717ad6eaadfbe9caf0730949ecce11256dba
BEGIN TRANSACTION;
-- step create-tickets (up): Create tickets
CREATE TABLE [tickets] (
  [id] INT IDENTITY(1,1) NOT NULL,
  [title] NVARCHAR(200) NOT NULL,
  CONSTRAINT [tickets_key] PRIMARY KEY ([id])
);
COMMIT;
