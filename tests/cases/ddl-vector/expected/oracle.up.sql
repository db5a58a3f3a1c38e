-- migpkg 0.1.0 plan for oracle (up): 1 migration

-- migration test.vector/embeddings 1.0.0: Embeddings
-- checksum sha256-v1:7e980ea237dec7a3dbc94a4fa7ab34de081bc7e2ffc03aca4ba37cb48149a7de
-- step pgvector (up): pgvector
COMMIT;
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step items (up): Create items
CREATE TABLE "items" (
  "id" NUMBER(19) NOT NULL,
  "embedding" CLOB,
  CONSTRAINT "pk_items" PRIMARY KEY ("id")
);
