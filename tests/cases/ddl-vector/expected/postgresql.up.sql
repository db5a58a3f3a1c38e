-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.vector/embeddings 1.0.0: Embeddings
-- checksum sha256-v1:7e980ea237dec7a3dbc94a4fa7ab34de081bc7e2ffc03aca4ba37cb48149a7de
BEGIN;
-- step pgvector (up): pgvector
CREATE EXTENSION IF NOT EXISTS "vector";
-- step items (up): Create items
CREATE TABLE "items" (
  "id" BIGINT NOT NULL,
  "embedding" VECTOR(3),
  CONSTRAINT "pk_items" PRIMARY KEY ("id")
);
COMMIT;
