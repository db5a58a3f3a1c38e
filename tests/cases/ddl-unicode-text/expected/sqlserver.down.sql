-- migpkg 0.1.0 plan for sqlserver (down): 2 migrations

-- migration test.unicode/unicode-changes 1.0.0: Add and change character columns
-- checksum sha256-v1:25587b07317fb804180a5ec231a6e5775dee4c5d07f0c0eb564680d0ece13314
BEGIN TRANSACTION;
-- step undo-longer-name (down): Undo: Make the name longer
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(LEN([name])) FROM [ut_people] WHERE LEN([name]) > 40
ALTER TABLE [ut_people] ALTER COLUMN [name] NVARCHAR(40) NOT NULL;
-- step undo-nickname (down): Undo: Add a nickname
EXEC(N'DECLARE @drop NVARCHAR(MAX) = N''''; SELECT @drop = @drop + N''ALTER TABLE [ut_people] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.default_constraints WHERE parent_object_id = OBJECT_ID(N''[ut_people]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[ut_people]''), N''nickname'', ''ColumnId''); SELECT @drop = @drop + N''ALTER TABLE [ut_people] DROP CONSTRAINT '' + QUOTENAME(name) + N''; '' FROM sys.check_constraints WHERE parent_object_id = OBJECT_ID(N''[ut_people]'') AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(N''[ut_people]''), N''nickname'', ''ColumnId''); EXEC sp_executesql @drop');
ALTER TABLE [ut_people] DROP COLUMN [nickname];
COMMIT;

-- migration test.unicode/unicode-people 1.0.0: Character columns that hold any Unicode text
-- checksum sha256-v1:73a13dc9767ae5219a075be707ffe877ac092f477ff615b0036332e5d4d94d92
BEGIN TRANSACTION;
-- step undo-people (down): Undo: Create ut_people
DROP TABLE [ut_people];
COMMIT;
