-- migpkg 0.1.0 plan for sqlserver (down): 1 migration

-- migration test.narrowing/narrowing 1.0.0: Every narrowing type change
-- checksum sha256-v1:1bc74f9f1c0b77391d0d0d64826ee34b14f88e7c90811400d439100394c4d60f
BEGIN TRANSACTION;
-- step undo-ratio-float32 (down): Undo: float64 to float32
ALTER TABLE [orders] ALTER COLUMN [ratio] FLOAT(53) NULL;
-- step undo-whole-int32 (down): Undo: decimal(8,2) to int32: the fraction goes
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MIN([whole]), MAX([whole]) FROM [orders] WHERE [whole] <= -1000000 OR [whole] >= 1000000
ALTER TABLE [orders] ALTER COLUMN [whole] DECIMAL(8,2) NULL;
-- step undo-amount-cents (down): Undo: decimal(12,4) to decimal(10,2)
ALTER TABLE [orders] ALTER COLUMN [amount] DECIMAL(12,4) NULL;
-- step undo-small-int16 (down): Undo: int32 to int16
ALTER TABLE [orders] ALTER COLUMN [small] INT NULL;
-- step undo-qty-int32 (down): Undo: int64 to int32
ALTER TABLE [orders] ALTER COLUMN [qty] BIGINT NULL;
-- step undo-label-wider (down): Undo: string(20) to string(80): the automatic down narrows
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LEN([label])) FROM [orders] WHERE LEN([label]) > 20
ALTER TABLE [orders] ALTER COLUMN [label] NVARCHAR(20) NULL;
-- step undo-code-char (down): Undo: string(20) to char(5)
ALTER TABLE [orders] ALTER COLUMN [code] NVARCHAR(20) NULL;
-- step undo-note-200 (down): Undo: Text to string(200)
ALTER TABLE [orders] ALTER COLUMN [note] NVARCHAR(MAX) NULL;
-- step undo-create-orders (down): Undo: Create orders
DROP TABLE [orders];
COMMIT;
