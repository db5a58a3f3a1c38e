-- migpkg 0.1.0 plan for mysql (up): 1 migration

-- migration test.time/time-of-day 1.0.0: A time-of-day column
-- checksum sha256-v1:36ef597251620be936678b8d7e85f843e8731c3bf36dabc9947126d2c83ba2c4
BEGIN;
-- step shifts (up): Create shifts
CREATE TABLE `shifts` (
  `id` INT NOT NULL,
  `starts` TIME(6) NOT NULL,
  CONSTRAINT `pk_shifts` PRIMARY KEY (`id`)
);
COMMIT;
