-- migpkg 0.1.0 plan for sqlite (up): 2 migrations

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:beea7dc821a0957c39c8d39e19b73a6edb0b44f5a3e810db8391a3c88d564742
BEGIN;
-- step create-order (up): Create order
CREATE TABLE "order" (
  "id" INTEGER CONSTRAINT "pk_order" PRIMARY KEY AUTOINCREMENT NOT NULL,
  "flag" BOOLEAN DEFAULT 1 NOT NULL,
  "small" INTEGER DEFAULT -1,
  "medium" INTEGER,
  "big" INTEGER DEFAULT 9007199254740993,
  "amount" NUMERIC(10,2) DEFAULT 0.5 NOT NULL,
  "ratio" REAL,
  "precise" REAL,
  "notes" TEXT DEFAULT 'it''s \ here',
  "code" VARCHAR(20) DEFAULT 'o''clock' NOT NULL,
  "country" CHAR(2),
  "payload" BLOB,
  "ref" UUID DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
  "meta" JSON DEFAULT '{"ok":true,"tags":["a","b"]}',
  "day" DATE,
  "at" TIMESTAMP,
  "created" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "status" TEXT DEFAULT 'new' NOT NULL CHECK ("status" IN ('new', 'shipped', 'it''s')),
  "select" INTEGER DEFAULT (1 + 1),
  CONSTRAINT "uq_order_code" UNIQUE ("code"),
  CONSTRAINT "ck_order_1" CHECK ("amount" >= 0)
);
COMMIT;

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:23c79dd1bd1d15135e2c1341f3f6717ad6eaadfbe9caf0730949ecce11256dba
BEGIN;
-- step create-tickets (up): Create tickets
CREATE TABLE "tickets" (
  "id" INTEGER CONSTRAINT "tickets_key" PRIMARY KEY AUTOINCREMENT NOT NULL,
  "title" VARCHAR(200) NOT NULL
);
COMMIT;
