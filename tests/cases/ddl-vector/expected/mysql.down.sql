-- migpkg 0.1.0 plan for mysql (down): 1 migration

-- migration test.vector/embeddings 1.0.0: Embeddings
-- checksum sha256-v1:7e980ea237dec7a3dbc94a4fa7ab34de081bc7e2ffc03aca4ba37cb48149a7de
-- implicit commit: mysql commits this DDL at once, outside a transaction (no rollback)
-- step undo-items (down): Undo: Create items
DROP TABLE `items`;
BEGIN;
-- step undo-pgvector (down): Undo: pgvector
COMMIT;
