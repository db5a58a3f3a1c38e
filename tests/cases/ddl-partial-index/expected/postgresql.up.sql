-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.pgonly/partial-index 1.0.0: Partial index and extension
-- checksum sha256-v1:98d2fae17abeaef2d69b304be2dc7272d7457fa6ac07ac1e846090bf07fea59e
BEGIN;
-- step ext (up): citext for case-insensitive text
CREATE EXTENSION IF NOT EXISTS "citext";
-- step users (up): Create users
CREATE TABLE "users" (
  "id" BIGINT NOT NULL,
  "email" VARCHAR(200) NOT NULL,
  "deleted" BOOLEAN DEFAULT FALSE NOT NULL,
  CONSTRAINT "pk_users" PRIMARY KEY ("id")
);
-- step live-email (up): Unique email among live users
CREATE UNIQUE INDEX "ux_users_email" ON "users" ("email") WHERE deleted = FALSE;
COMMIT;
