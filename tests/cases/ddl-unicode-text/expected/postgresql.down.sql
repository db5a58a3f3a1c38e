-- migpkg 0.1.0 plan for postgresql (down): 2 migrations

-- migration test.unicode/unicode-changes 1.0.0: Add and change character columns
-- checksum sha256-v1:25587b07317fb804180a5ec231a6e5775dee4c5d07f0c0eb564680d0ece13314
BEGIN;
-- step undo-longer-name (down): Undo: Make the name longer
-- pre check (narrowing, error): SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), MAX(CHAR_LENGTH("name")) FROM "ut_people" WHERE CHAR_LENGTH("name") > 40
ALTER TABLE "ut_people" ALTER COLUMN "name" TYPE VARCHAR(40) USING CAST("name" AS VARCHAR(40));
-- step undo-nickname (down): Undo: Add a nickname
ALTER TABLE "ut_people" DROP COLUMN "nickname";
COMMIT;

-- migration test.unicode/unicode-people 1.0.0: Character columns that hold any Unicode text
-- checksum sha256-v1:73a13dc9767ae5219a075be707ffe877ac092f477ff615b0036332e5d4d94d92
BEGIN;
-- step undo-people (down): Undo: Create ut_people
DROP TABLE "ut_people";
COMMIT;
