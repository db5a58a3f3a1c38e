-- migpkg 0.1.0 plan for mysql (down): 1 migration

-- migration test.time/time-of-day 1.0.0: A time-of-day column
-- checksum sha256-v1:92f548aa5a2826936250f6eb188e214ccfa7131cebc1f67c49de0e55462f96d7
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-shifts (down): Undo: Create shifts
DROP TABLE `shifts`;
