-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.time/time-of-day 1.0.0: A time-of-day column
-- checksum sha256-v1:36ef597251620be936678b8d7e85f843e8731c3bf36dabc9947126d2c83ba2c4
BEGIN;
-- step undo-shifts (down): Undo: Create shifts
DROP TABLE "shifts";
COMMIT;
