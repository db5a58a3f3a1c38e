-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.time/time-of-day 1.0.0: A time-of-day column
-- checksum sha256-v1:92f548aa5a2826936250f6eb188e214ccfa7131cebc1f67c49de0e55462f96d7
BEGIN;
-- step shifts (up): Create shifts
CREATE TABLE "shifts" (
  "id" INTEGER NOT NULL,
  "starts" TIME NOT NULL,
  CONSTRAINT "pk_shifts" PRIMARY KEY ("id")
);
COMMIT;
