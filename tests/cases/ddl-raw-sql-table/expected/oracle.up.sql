-- migpkg 0.1.0 plan for oracle (up): 1 migration

-- migration test.rawddl/raw-then-change 1.0.0: A change to a table raw SQL created
-- checksum sha256-v1:195997d9c7c127bed4920f284492f2c359a3e7760fa19c814efc9c6f8b723b48
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step create (up): Create notes by hand
CREATE TABLE notes (id INTEGER NOT NULL, body VARCHAR(200));
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step require-body (up): Body required
ALTER TABLE "notes" MODIFY ("body" NOT NULL);
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step index-body (up): Index body
CREATE INDEX "ix_notes_body" ON "notes" ("body");
