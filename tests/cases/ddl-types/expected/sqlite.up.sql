-- migpkg 0.1.0 plan for sqlite (up): 2 migrations

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:1eaff847daf9c66faa7cc343920e0e51a39acc2685d1c7d1b6b540abeacf4dcf
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
  "ref" TEXT DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
  "meta" TEXT DEFAULT '{"ok":true,"tags":["a","b"]}',
  "day" TEXT,
  "at" TEXT,
  "created" TEXT DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "status" TEXT DEFAULT 'new' NOT NULL CHECK ("status" IN ('new', 'shipped', 'it''s')),
  "select" INTEGER DEFAULT (1 + 1),
  CONSTRAINT "uq_order_code" UNIQUE ("code"),
  CONSTRAINT "ck_order_1" CHECK (amount >= 0)
);
COMMIT;

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:f26ccd044de95a1cf563ee798b19f37da12d9c79f22394b1c51640984951966f
BEGIN;
-- step create-tickets (up): Create tickets
CREATE TABLE "tickets" (
  "id" INTEGER CONSTRAINT "tickets_key" PRIMARY KEY AUTOINCREMENT NOT NULL,
  "title" VARCHAR(200) NOT NULL
);
COMMIT;
