-- migpkg 0.1.0 plan for mysql (up): 1 migration

-- migration test.vector/embeddings 1.0.0: Embeddings
-- checksum sha256-v1:3b08c0b9fcbf3050b805a19f94e12bb3b8c2851f586cdee6cb9d0da2e30b7d3c
BEGIN;
-- step pgvector (up): pgvector
-- step items (up): Create items
CREATE TABLE `items` (
  `id` BIGINT NOT NULL,
  `embedding` JSON,
  CONSTRAINT `pk_items` PRIMARY KEY (`id`)
);
COMMIT;
