-- migpkg 0.1.0 plan for sqlite (up): 1 migration

-- migration test.engines/ues-items 1.0.0: Universal and per-engine SQL
-- checksum sha256-v1:bb111bd1a72d9e6069388f083b6ec1ea45024466309a9fac4b76d2eccef93724
BEGIN;
-- step create-categories (up): Create ues_categories (universal only)
CREATE TABLE ues_categories (
  code VARCHAR(16) PRIMARY KEY,
  label VARCHAR(100) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- step create-items (up): Create ues_items (one variant per engine)
CREATE TABLE ues_items (
  id INTEGER PRIMARY KEY,
  category_code VARCHAR(16) NOT NULL REFERENCES ues_categories (code),
  name VARCHAR(100) NOT NULL
);
-- step index-items (up): Index ues_items.name (universal with a PostgreSQL override)
CREATE INDEX ues_items_name_idx ON ues_items (name);
-- step seed (up): Seed one category and one item
INSERT INTO ues_categories (code, label) VALUES ('tools', 'Tools');
INSERT INTO ues_items (category_code, name) VALUES ('tools', 'Hammer');
-- post check (postValidation, error): SELECT COUNT(*) = 1 FROM ues_items
COMMIT;
